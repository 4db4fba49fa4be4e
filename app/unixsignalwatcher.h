#pragma once

#include <QObject>

class QSocketNotifier;

namespace App {

// Turns SIGINT and SIGTERM into a Qt signal. A signal handler may only write to a pipe, so
// it does that, and the event loop reads the other end.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void handle(int signalNumber);
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace App
