#include "clusterlib/hiredisadapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace Cluster {

HiredisAdapter::HiredisAdapter(redisAsyncContext *context)
    : m_context(context),
      m_read(new QSocketNotifier(context->c.fd, QSocketNotifier::Read, this)),
      m_write(new QSocketNotifier(context->c.fd, QSocketNotifier::Write, this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &HiredisAdapter::readReady);
    connect(m_write, &QSocketNotifier::activated, this, &HiredisAdapter::writeReady);
}

void HiredisAdapter::attach(redisAsyncContext *context)
{
    auto *adapter = new HiredisAdapter(context);
    context->ev.data = adapter;
    context->ev.addRead = &HiredisAdapter::addRead;
    context->ev.delRead = &HiredisAdapter::delRead;
    context->ev.addWrite = &HiredisAdapter::addWrite;
    context->ev.delWrite = &HiredisAdapter::delWrite;
    context->ev.cleanup = &HiredisAdapter::cleanup;
}

void HiredisAdapter::addRead(void *adapter)
{
    static_cast<HiredisAdapter *>(adapter)->m_read->setEnabled(true);
}

void HiredisAdapter::delRead(void *adapter)
{
    static_cast<HiredisAdapter *>(adapter)->m_read->setEnabled(false);
}

void HiredisAdapter::addWrite(void *adapter)
{
    static_cast<HiredisAdapter *>(adapter)->m_write->setEnabled(true);
}

void HiredisAdapter::delWrite(void *adapter)
{
    static_cast<HiredisAdapter *>(adapter)->m_write->setEnabled(false);
}

// Called just before hiredis closes the socket, possibly from inside readReady(): the
// notifiers stop at once, the object goes when the event loop next runs.
void HiredisAdapter::cleanup(void *data)
{
    auto *adapter = static_cast<HiredisAdapter *>(data);
    adapter->m_read->setEnabled(false);
    adapter->m_write->setEnabled(false);
    adapter->m_context = nullptr;
    adapter->deleteLater();
}

void HiredisAdapter::readReady()
{
    if (m_context)
        redisAsyncHandleRead(m_context);
}

void HiredisAdapter::writeReady()
{
    if (m_context)
        redisAsyncHandleWrite(m_context);
}

RedisReply toRedisReply(const redisReply *reply)
{
    RedisReply result;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        result.type = RedisReply::Type::String;
        break;
    case REDIS_REPLY_STATUS:
        result.type = RedisReply::Type::Status;
        break;
    case REDIS_REPLY_ERROR:
        result.type = RedisReply::Type::Error;
        break;
    case REDIS_REPLY_INTEGER:
        result.type = RedisReply::Type::Integer;
        result.integer = reply->integer;
        return result;
    case REDIS_REPLY_NIL:
        result.type = RedisReply::Type::Nil;
        return result;
    case REDIS_REPLY_ARRAY:
        result.type = RedisReply::Type::Array;
        result.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            result.elements.append(toRedisReply(reply->element[i]));
        return result;
    default:
        return RedisReply::failed("an unknown reply type");
    }
    result.text = QByteArray(reply->str, qsizetype(reply->len));
    return result;
}

} // namespace Cluster
