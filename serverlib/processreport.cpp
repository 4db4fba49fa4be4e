#include "serverlib/processreport.h"

#include <QList>

namespace Server {

namespace {

constexpr const char *LinkNames[] = {"none", "linking", "up", "lost"};

std::optional<ProcessReport::Link> linkFromName(const QByteArray &name)
{
    for (int i = 0; i < int(std::size(LinkNames)); ++i) {
        if (name == LinkNames[i])
            return ProcessReport::Link(i);
    }
    return std::nullopt;
}

// One "key=value" field into `report`; false when a known field has a bad value.
bool takeField(const QByteArray &key, const QByteArray &value, ProcessReport &report)
{
    bool ok = true;
    if (key == "clients")
        report.clients = value.toInt(&ok);
    else if (key == "messages")
        report.messagesPerSecond = value.toDouble(&ok);
    else if (key == "deliveries")
        report.deliveriesPerSecond = value.toDouble(&ok);
    else if (key == "threads")
        report.threads = value.toInt(&ok);
    else if (key == "link") {
        const std::optional<ProcessReport::Link> link = linkFromName(value);
        ok = link.has_value();
        report.link = link.value_or(ProcessReport::Link::None);
    } else if (key == "reason") {
        report.linkReason = QString::fromUtf8(QByteArray::fromPercentEncoding(value))
                                .left(ProcessReport::MaxLinkReasonChars);
    }
    return ok && report.clients >= 0 && report.threads >= 0;
}

} // namespace

QByteArray ProcessReport::toLine() const
{
    return Prefix + QByteArray("clients=") + QByteArray::number(clients)
        + " messages=" + QByteArray::number(messagesPerSecond, 'f', 1)
        + " deliveries=" + QByteArray::number(deliveriesPerSecond, 'f', 1)
        + " threads=" + QByteArray::number(threads) + " link=" + LinkNames[int(link)]
        + (linkReason.isEmpty()
               ? QByteArray()
               : " reason=" + linkReason.left(MaxLinkReasonChars).toUtf8().toPercentEncoding());
}

std::optional<ProcessReport> ProcessReport::parse(const QByteArray &line)
{
    if (!isReport(line))
        return std::nullopt;
    ProcessReport report;
    const QList<QByteArray> fields = line.mid(qsizetype(sizeof(Prefix) - 1)).trimmed().split(' ');
    for (const QByteArray &field : fields) {
        const qsizetype equals = field.indexOf('=');
        if (equals <= 0)
            return std::nullopt;
        if (!takeField(field.left(equals), field.mid(equals + 1), report))
            return std::nullopt;
    }
    return report;
}

} // namespace Server
