#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Server {

// What a server process of `--processes N` tells its supervisor once a second (the hidden
// --report-stats): one line on its standard output, "qtchat-stats clients=3 messages=1.5
// deliveries=4.0 threads=2 link=lost reason=Connection%20refused". The supervisor takes such lines
// out of the log it shows. A line, not a shared store: it needs nothing running beside the two
// processes, it cannot outlive the child that wrote it, and a pipe writes a line this short in one
// piece.
struct ProcessReport
{
    enum class Link { None, Linking, Up, Lost }; // the child's link to the cluster's Redis

    QString process; // the supervisor's name for it ("host-1"); not on the line
    qint64 pid = 0; // not on the line either: the supervisor knows it
    int clients = 0;
    double messagesPerSecond = 0;
    double deliveriesPerSecond = 0;
    int threads = 0;
    Link link = Link::None;
    // Why the link is lost, percent-encoded on the line; cut at MaxLinkReasonChars.
    QString linkReason;

    static constexpr qsizetype MaxLinkReasonChars = 300;
    static constexpr char Prefix[] = "qtchat-stats ";

    QByteArray toLine() const; // without the newline
    // Nothing when `line` is not a report; unknown fields are skipped, so that a newer child
    // may say more.
    static std::optional<ProcessReport> parse(const QByteArray &line);
    static bool isReport(const QByteArray &line) { return line.startsWith(Prefix); }
};

} // namespace Server

Q_DECLARE_METATYPE(Server::ProcessReport)
