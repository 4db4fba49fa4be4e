// The real qtchat-load binary, run by a test: started asynchronously (the servers under load
// accept in the test's thread, so the test waits in the event loop, never in a blocking
// waitForFinished()), its JSON report read once it has finished.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

class LoadGeneratorProcess
{
public:
    explicit LoadGeneratorProcess(int timeoutS) : m_timeoutS(timeoutS) { }
    ~LoadGeneratorProcess() { kill(); }

    // Returns once exec() succeeded; the generator has not connected yet.
    bool start(const QStringList &arguments)
    {
        const QStringList common {QStringLiteral("--json"), QStringLiteral("--quiet"),
                                  QStringLiteral("--timeout"), QString::number(m_timeoutS)};
        m_process.start(QStringLiteral(QTCHAT_LOAD_BINARY), arguments + common);
        return m_process.waitForStarted();
    }
    QString errorString() const { return m_process.errorString(); }

    // Longer than the generator's own time-out, so that it reports before the test gives up.
    bool waitForFinished()
    {
        if (!QTest::qWaitFor([this] { return !m_finished.isEmpty(); }, (m_timeoutS + 15) * 1000))
            return false;
        m_stdout = m_process.readAllStandardOutput();
        m_stderr = m_process.readAllStandardError();
        if (!succeeded())
            qInfo("qtchat-load says why:\n%s\n%s", m_stdout.constData(), m_stderr.constData());
        return true;
    }

    bool succeeded() const
    {
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }
    int exitCode() const { return m_process.exitCode(); }

    QJsonObject report() const
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(m_stdout, &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("qtchat-load printed no JSON (%s)", qPrintable(error.errorString()));
        return document.object();
    }

    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(); // SIGKILL: returns at once, needs no accept
    }

    // Every expected delivery arrived, once and in each sender's order.
    static void verifyLossless(const QJsonObject &traffic, qint64 expected)
    {
        QCOMPARE(traffic.value(QStringLiteral("expected_deliveries")).toInteger(), expected);
        QCOMPARE(traffic.value(QStringLiteral("received_deliveries")).toInteger(), expected);
        QCOMPARE(traffic.value(QStringLiteral("loss")).toInteger(), 0);
        QCOMPARE(traffic.value(QStringLiteral("out_of_order")).toInteger(), 0);
        QCOMPARE(traffic.value(QStringLiteral("duplicates")).toInteger(), 0);
    }

private:
    const int m_timeoutS;
    QProcess m_process;
    QSignalSpy m_finished {&m_process, &QProcess::finished};
    QByteArray m_stdout;
    QByteArray m_stderr;
};
