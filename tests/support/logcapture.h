#pragma once

#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <QtGlobal>

// Every message logged, from any thread, while it lives: the tests of what the log says, and of
// what it must never say (a password). QtChat's info lines are captured too, whatever
// QT_LOGGING_RULES says (ctest turns them off).
//
//     LogCapture log;
//     ...
//     QVERIFY(log.contains(QStringLiteral("refused the password")));
class LogCapture
{
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    QStringList lines() const;
    QStringList take(); // the lines so far, which are then forgotten
    bool contains(const QString &text) const;
    qsizetype count(const QString &text) const; // the lines that contain it

private:
    QtMessageHandler m_previousHandler;
    QLoggingCategory::CategoryFilter m_previousFilter;
};
