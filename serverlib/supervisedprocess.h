#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace Server {

// How a supervised program ended.
struct ProcessEnd
{
    bool failedToStart = false; // it never ran: `reason` says why
    bool crashed = false; // killed by a signal; `exitCode` is then the signal's number
    int exitCode = 0;
    bool wasReady = false; // it had printed its ready line
    bool killedAtDeadline = false; // it did not end within stop()'s deadline
    qint64 uptimeMs = 0;
    QString reason; // for the log: "exited with 1", "killed by signal 9"
};

// One program a ProcessSupervisor runs: its output cut into lines, its readiness learnt from a
// line of its own log, stopped with SIGTERM and, past a deadline, SIGKILL. Every wait is a
// signal: nothing here blocks the event loop. The program runs in a process group of its own,
// so that a terminal's Ctrl-C reaches the supervisor only, which then stops everything in order,
// and it gets SIGTERM should the supervisor die (PR_SET_PDEATHSIG).
class SupervisedProcess : public QObject
{
    Q_OBJECT

public:
    // Longer lines are cut: a program's output must not grow without bound.
    static constexpr qsizetype MaxLineBytes = 64 * 1024;

    SupervisedProcess(const QString &name, const QString &program, const QStringList &arguments,
                      const QByteArray &readyLine, QObject *parent = nullptr);
    ~SupervisedProcess() override;

    QString name() const { return m_name; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    bool isRunning() const { return m_process != nullptr; }
    bool isReady() const { return m_ready; }
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }

    // Runs the program (again); started() or ended() (failedToStart) follows.
    void start();
    // SIGTERM, then SIGKILL once `deadlineMs` have passed; ended() follows. Nothing when it
    // does not run.
    void stop(int deadlineMs);

Q_SIGNALS:
    void started(qint64 pid);
    void output(const QByteArray &line);
    void ready(); // its output had a line containing `readyLine`
    void ended(const Server::ProcessEnd &end);

private:
    void readOutput();
    void takeLine(const QByteArray &line);
    void finish(ProcessEnd end);

    const QString m_name;
    const QString m_program;
    const QStringList m_arguments;
    const QByteArray m_readyLine; // compared without case
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    QProcess *m_process = nullptr; // a child while it runs
    QByteArray m_partialLine;
    QElapsedTimer m_uptime;
    QTimer m_killTimer;
    bool m_ready = false;
    bool m_killedAtDeadline = false;
};

} // namespace Server

Q_DECLARE_METATYPE(Server::ProcessEnd)
