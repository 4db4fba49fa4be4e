#include "serverlib/supervisedprocess.h"

#include <csignal>

#include <sys/prctl.h>
#include <unistd.h>

namespace Server {

SupervisedProcess::SupervisedProcess(const QString &name, const QString &program,
                                     const QStringList &arguments, const QByteArray &readyLine,
                                     QObject *parent)
    : QObject(parent),
      m_name(name),
      m_program(program),
      m_arguments(arguments),
      m_readyLine(readyLine.toLower())
{
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        m_killedAtDeadline = true;
        m_process->kill();
    });
}

SupervisedProcess::~SupervisedProcess()
{
    // Only when the supervisor is destroyed without a stop: no program outlives it.
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void SupervisedProcess::start()
{
    if (m_process)
        return;
    m_ready = false;
    m_killedAtDeadline = false;
    m_partialLine.clear();
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setProcessEnvironment(m_environment);
    m_process->setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    });
    connect(m_process, &QProcess::started, this, [this] {
        m_uptime.start();
        Q_EMIT started(m_process->processId());
    });
    connect(m_process, &QProcess::readyRead, this, &SupervisedProcess::readOutput);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // the others are followed by finished()
        ProcessEnd end;
        end.failedToStart = true;
        end.reason = QStringLiteral("cannot run %1: %2").arg(m_program, m_process->errorString());
        finish(end);
    });
    connect(m_process, &QProcess::finished, this,
            [this](int exitCode, QProcess::ExitStatus status) {
                readOutput();
                if (!m_partialLine.isEmpty())
                    takeLine(std::exchange(m_partialLine, {}));
                ProcessEnd end;
                end.crashed = status == QProcess::CrashExit;
                // Qt gives the signal's number as the exit code of a process killed by one.
                end.exitCode = exitCode;
                end.reason = end.crashed ? QStringLiteral("killed by signal %1").arg(exitCode)
                                         : QStringLiteral("exited with %1").arg(exitCode);
                finish(end);
            });
    m_process->start(m_program, m_arguments);
}

void SupervisedProcess::stop(int deadlineMs)
{
    if (!m_process)
        return;
    m_process->terminate();
    m_killTimer.start(deadlineMs);
}

void SupervisedProcess::readOutput()
{
    if (!m_process)
        return;
    m_partialLine += m_process->readAll();
    qsizetype start = 0;
    for (qsizetype newline; (newline = m_partialLine.indexOf('\n', start)) >= 0;
         start = newline + 1)
        takeLine(m_partialLine.sliced(start, newline - start));
    m_partialLine.remove(0, start);
    if (m_partialLine.size() > MaxLineBytes)
        takeLine(std::exchange(m_partialLine, {}).left(MaxLineBytes));
}

void SupervisedProcess::takeLine(const QByteArray &line)
{
    Q_EMIT output(line);
    if (!m_ready && line.toLower().contains(m_readyLine)) {
        m_ready = true;
        Q_EMIT ready();
    }
}

void SupervisedProcess::finish(ProcessEnd end)
{
    m_killTimer.stop();
    end.wasReady = m_ready;
    end.killedAtDeadline = m_killedAtDeadline;
    end.uptimeMs = m_uptime.isValid() ? m_uptime.elapsed() : 0;
    m_uptime.invalidate();
    m_ready = false;
    // Not from inside its own signal.
    std::exchange(m_process, nullptr)->deleteLater();
    Q_EMIT ended(end);
}

} // namespace Server
