#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace Load {

// What a load PRIVMSG carries in its text: who sent it, its place in that sender's stream and
// when it was written, so that every receiver can check order and measure latency by itself.
struct Payload
{
    quint32 sender = 0;
    quint32 sequence = 0;
    qint64 sentNs = 0; // CLOCK_MONOTONIC

    // "load <sender> <sequence> <sentNs>"
    QByteArray toText() const;
    // nullopt for any text the generator did not write.
    static std::optional<Payload> fromText(QByteArrayView text);
};

} // namespace Load
