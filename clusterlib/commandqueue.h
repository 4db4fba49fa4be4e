#pragma once

#include "clusterlib/redisreply.h"
#include "concurrent/boundedqueue.h"

#include <QByteArray>
#include <QList>

namespace Cluster {

// One command on its way to the link thread. `guardKey` set: the command runs only while
// `guardKey` holds `guardValue`, checked and run atomically (WATCH, GET, MULTI ... EXEC); a
// Nil reply then means the key was not (or no longer) ours.
struct QueuedCommand
{
    QList<QByteArray> argv;
    ReplyCallback callback;
    QByteArray guardKey = {};
    QByteArray guardValue = {};
};

// The commands on their way to the link thread, as a Mailbox is for a worker: woken once per
// batch. Bounded: a command that finds it full is refused at once, so a stalled Redis costs
// callers an error, not memory. Closed, what is queued stays for the link thread to fail.
using CommandQueue = Concurrent::BoundedQueue<QueuedCommand>;

} // namespace Cluster
