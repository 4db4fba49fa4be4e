#include "clusterlib/channelbus.h"

#include "clusterlib/clusterlogging.h"
#include "clusterlib/redislink.h"

namespace Cluster {

namespace {

// A message on the bus: "<origin node> <sequence number>\n<payload>", or for several payloads
// "<origin node> <sequence number> <count>\n" and each as "<size>\n<payload>". Node ids have no
// spaces or line ends; a payload is any bytes. One number per message, whatever it carries.
QByteArray frame(const QByteArray &origin, quint64 sequence, const QByteArray &payload)
{
    return origin + ' ' + QByteArray::number(sequence) + '\n' + payload;
}

QByteArray frame(const QByteArray &origin, quint64 sequence, const QList<QByteArray> &payloads)
{
    if (payloads.size() == 1)
        return frame(origin, sequence, payloads.first());
    constexpr qsizetype NumberRoom = 24;
    qsizetype size = origin.size() + 2 * NumberRoom;
    for (const QByteArray &payload : payloads)
        size += payload.size() + NumberRoom;
    QByteArray message;
    message.reserve(size);
    message.append(origin).append(' ').append(QByteArray::number(sequence)).append(' ');
    message.append(QByteArray::number(payloads.size())).append('\n');
    for (const QByteArray &payload : payloads)
        message.append(QByteArray::number(payload.size())).append('\n').append(payload);
    return message;
}

struct Frame
{
    QByteArray origin;
    quint64 sequence = 0;
    QList<QByteArray> payloads;
    bool valid = false;
};

// The `count` payloads of a batch from `from` on; false when they do not fill the rest exactly.
bool readPayloads(const QByteArray &message, qsizetype from, qsizetype count,
                  QList<QByteArray> *payloads)
{
    payloads->reserve(count);
    while (count-- > 0) {
        const qsizetype newline = message.indexOf('\n', from);
        if (newline < 0)
            return false;
        bool ok = false;
        const qsizetype size = QByteArrayView(message).sliced(from, newline - from).toLongLong(&ok);
        if (!ok || size < 0 || size > message.size() - newline - 1)
            return false;
        payloads->append(message.mid(newline + 1, size));
        from = newline + 1 + size;
    }
    return from == message.size();
}

Frame unframe(const QByteArray &message)
{
    Frame frame;
    const qsizetype end = message.indexOf('\n');
    const qsizetype space = message.indexOf(' ');
    if (end < 0 || space < 0 || space > end)
        return frame;
    const qsizetype secondSpace = message.indexOf(' ', space + 1);
    const bool batch = secondSpace >= 0 && secondSpace < end;
    const QByteArrayView header(message);
    frame.origin = message.left(space);
    const qsizetype sequenceEnd = batch ? secondSpace : end;
    frame.sequence = header.sliced(space + 1, sequenceEnd - space - 1).toULongLong(&frame.valid);
    if (!frame.valid)
        return frame;
    if (!batch) {
        frame.payloads.append(message.mid(end + 1));
        return frame;
    }
    const qsizetype count = header.sliced(secondSpace + 1, end - secondSpace - 1).toLongLong();
    frame.valid = count > 0 && count <= message.size()
        && readPayloads(message, end + 1, count, &frame.payloads);
    return frame;
}

} // namespace

ChannelBus::ChannelBus(RedisLink &link, const QByteArray &nodeId, const QByteArray &prefix,
                       QObject *parent)
    : QObject(parent),
      m_link(link),
      m_nodeId(nodeId),
      m_channelPrefix(prefix + "chan:"),
      m_nodePrefix(prefix + "to:"),
      m_ownChannel(nodeKey(nodeId)),
      m_allChannel(prefix + "all")
{
    connect(&m_link, &RedisLink::messages, this, &ChannelBus::messagesArrived);
    connect(&m_link, &RedisLink::subscribed, this, [this](const QByteArray &redisChannel) {
        if (redisChannel.startsWith(m_channelPrefix))
            Q_EMIT subscribed(redisChannel.mid(m_channelPrefix.size()));
    });
    // After a lost subscription the numbering starts over: the gap is already known.
    connect(&m_link, &RedisLink::subscriptionsLost, this, [this] { m_lastSeen.clear(); });
    m_link.subscribe(m_ownChannel);
    m_link.subscribe(m_allChannel);
}

void ChannelBus::addLocalMember(const QByteArray &channel)
{
    if (m_localMembers[channel]++ == 0)
        m_link.subscribe(channelKey(channel));
}

void ChannelBus::removeLocalMember(const QByteArray &channel)
{
    const auto it = m_localMembers.find(channel);
    if (it == m_localMembers.end() || --it.value() > 0)
        return;
    m_localMembers.erase(it);
    m_lastSeen.remove(channel);
    m_link.unsubscribe(channelKey(channel));
}

quint64 ChannelBus::nextSequence(const QByteArray &stream)
{
    std::lock_guard lock(m_sequenceMutex);
    return ++m_sequences[stream];
}

bool ChannelBus::publish(const QByteArray &channel, const QByteArray &payload)
{
    const QByteArray message = frame(m_nodeId, nextSequence(channel), payload);
    return m_link.command({"PUBLISH", channelKey(channel), message}, ignoreReply) != 0;
}

bool ChannelBus::publish(const QByteArray &channel, const QList<QByteArray> &payloads)
{
    if (payloads.isEmpty())
        return true;
    const QByteArray message = frame(m_nodeId, nextSequence(channel), payloads);
    return m_link.command({"PUBLISH", channelKey(channel), message}, ignoreReply) != 0;
}

bool ChannelBus::sendToNode(const QByteArray &nodeId, const QByteArray &payload)
{
    const QByteArray message = frame(m_nodeId, nextSequence("to:" + nodeId), payload);
    return m_link.command({"PUBLISH", nodeKey(nodeId), message}, ignoreReply) != 0;
}

bool ChannelBus::broadcast(const QByteArray &payload)
{
    const QByteArray message = frame(m_nodeId, nextSequence(m_allChannel), payload);
    return m_link.command({"PUBLISH", m_allChannel, message}, ignoreReply) != 0;
}

void ChannelBus::messagesArrived(const PubSubMessages &batch)
{
    for (const PubSubMessage &message : batch)
        messageArrived(message.channel, message.payload);
}

void ChannelBus::messageArrived(const QByteArray &redisChannel, const QByteArray &message)
{
    if (redisChannel.startsWith(m_channelPrefix)) {
        // Redis brings back every line this node published there: dropped before any copy.
        if (!isOwn(message))
            channelMessage(redisChannel.mid(m_channelPrefix.size()), message);
    } else if (redisChannel == m_ownChannel) {
        const Frame frame = unframe(message);
        if (!frame.valid || !inSequence(QByteArray(), frame.origin, frame.sequence))
            return;
        for (const QByteArray &payload : frame.payloads)
            Q_EMIT directReceived(frame.origin, payload);
    } else if (redisChannel == m_allChannel && !isOwn(message)) {
        const Frame frame = unframe(message);
        if (!frame.valid || !inSequence(m_allChannel, frame.origin, frame.sequence, false))
            return;
        for (const QByteArray &payload : frame.payloads)
            Q_EMIT broadcastReceived(frame.origin, payload);
    }
}

bool ChannelBus::inSequence(const QByteArray &stream, const QByteArray &origin, quint64 sequence,
                            bool tellGap)
{
    quint64 &last = m_lastSeen[stream][origin];
    if (last != 0 && sequence <= last)
        return false;
    if (last != 0 && sequence != last + 1) {
        qCWarning(lcCluster).noquote()
            << QStringLiteral("lines of node %1 to %2 were lost (%3 after %4)")
                   .arg(QString::fromUtf8(origin),
                        stream.isEmpty() ? QStringLiteral("this node") : QString::fromUtf8(stream))
                   .arg(sequence)
                   .arg(last);
        if (tellGap)
            Q_EMIT gap(stream, origin);
    }
    last = sequence;
    return true;
}

bool ChannelBus::isOwn(const QByteArray &message) const
{
    return message.size() > m_nodeId.size() && message.startsWith(m_nodeId)
        && message.at(m_nodeId.size()) == ' ';
}

void ChannelBus::channelMessage(const QByteArray &channel, const QByteArray &message)
{
    const Frame frame = unframe(message);
    if (!frame.valid) {
        qCWarning(lcCluster) << "a malformed message on the bus for" << channel << "was dropped";
        return;
    }
    if (!m_localMembers.contains(channel))
        return; // on its way as we left the channel (our own lines never get here: isOwn())
    if (!inSequence(channel, frame.origin, frame.sequence))
        return;
    for (const QByteArray &payload : frame.payloads)
        Q_EMIT received(channel, frame.origin, payload);
}

} // namespace Cluster
