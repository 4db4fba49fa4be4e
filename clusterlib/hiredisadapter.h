#pragma once

#include "clusterlib/redisreply.h"

#include <QObject>

struct redisAsyncContext;
struct redisReply;
class QSocketNotifier;

namespace Cluster {

// Drives one hiredis async context from Qt's event loop: hiredis asks for read and write
// readiness through its ev hooks, and two QSocketNotifiers on the context's socket answer with
// redisAsyncHandleRead/Write. Ours rather than hiredis' adapters/qt.h, which connects a Qt 5
// string signal and needs a moc run of its own.
//
// Made in the thread that uses the context and used nowhere else. hiredis owns it once
// attached: its `cleanup` hook, called when the context is freed (by redisAsyncFree or after
// a lost connection), schedules its deletion; nothing else deletes it.
class HiredisAdapter : public QObject
{
    Q_OBJECT

public:
    static void attach(redisAsyncContext *context);

private:
    explicit HiredisAdapter(redisAsyncContext *context);

    static void addRead(void *adapter);
    static void delRead(void *adapter);
    static void addWrite(void *adapter);
    static void delWrite(void *adapter);
    static void cleanup(void *adapter);

    void readReady();
    void writeReady();

    redisAsyncContext *m_context; // null once hiredis has cleaned up
    QSocketNotifier *m_read;
    QSocketNotifier *m_write;
};

// A copy of hiredis' reply, which hiredis frees once the callback returns.
RedisReply toRedisReply(const redisReply *reply);

} // namespace Cluster
