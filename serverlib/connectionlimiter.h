#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>

#include <mutex>

namespace Server {

// Counts the connections the server holds, in total and per peer address, and refuses those
// over the caps. The server's thread admits, a worker releases when its client is gone: plain
// std::mutex, so that it is checked by ThreadSanitizer like the Mailbox.
class ConnectionLimiter
{
public:
    // 0: no cap.
    ConnectionLimiter(int maxTotal, int maxPerAddress);

    // Empty when admitted (and counted); otherwise why not, for the client's ERROR line.
    QByteArray admit(const QHostAddress &address);
    void release(const QHostAddress &address);

    int total() const;

private:
    const int m_maxTotal;
    const int m_maxPerAddress;
    mutable std::mutex m_mutex;
    int m_total = 0;
    QHash<QHostAddress, int> m_perAddress;
};

} // namespace Server
