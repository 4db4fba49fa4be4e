#include "tests/support/logcapture.h"

#include <mutex>

namespace {

std::mutex capturedMutex;
QStringList captured;
QLoggingCategory::CategoryFilter rulesFilter = nullptr;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    std::lock_guard lock(capturedMutex);
    captured.append(message);
}

void withQtChatInfo(QLoggingCategory *category)
{
    if (rulesFilter)
        rulesFilter(category);
    if (qstrncmp(category->categoryName(), "qtchat.", 7) == 0)
        category->setEnabled(QtInfoMsg, true);
}

} // namespace

LogCapture::LogCapture()
{
    take();
    m_previousHandler = qInstallMessageHandler(capture);
    // The default filter (the rules), for withQtChatInfo() to apply first.
    m_previousFilter = QLoggingCategory::installFilter(nullptr);
    rulesFilter = QLoggingCategory::installFilter(withQtChatInfo);
}

LogCapture::~LogCapture()
{
    QLoggingCategory::installFilter(m_previousFilter);
    qInstallMessageHandler(m_previousHandler);
}

QStringList LogCapture::lines() const
{
    std::lock_guard lock(capturedMutex);
    return captured;
}

QStringList LogCapture::take()
{
    std::lock_guard lock(capturedMutex);
    return std::exchange(captured, {});
}

bool LogCapture::contains(const QString &text) const
{
    return count(text) > 0;
}

qsizetype LogCapture::count(const QString &text) const
{
    const QStringList all = lines();
    return std::count_if(all.cbegin(), all.cend(),
                         [&text](const QString &line) { return line.contains(text); });
}
