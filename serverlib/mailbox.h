#pragma once

#include <QByteArray>
#include <QList>

#include <functional>
#include <mutex>
#include <vector>

namespace Server {

// One line for some clients served by one thread. The line is shared, not copied, between
// every thread it goes to (QByteArray's implicit sharing is thread-safe).
struct Delivery
{
    QByteArray line;
    QList<quint32> recipients;
    quint32 exclude = 0; // the sender, who is not echoed to
};

// The hand-off into a serving thread. Any thread posts; the owning thread drains. The owner is
// woken once per batch, not once per line, which keeps fan-out to other threads cheap. Kept
// free of Qt's event loop so that ThreadSanitizer can check it on its own.
class Mailbox
{
public:
    explicit Mailbox(std::function<void()> wake);

    // False once closed: the owner is gone and the delivery is dropped.
    bool post(Delivery delivery);
    std::vector<Delivery> takeAll();
    // After this returns, `wake` is never called again.
    void close();

private:
    std::mutex m_mutex;
    std::vector<Delivery> m_pending;
    std::function<void()> m_wake;
    bool m_closed = false;
};

} // namespace Server
