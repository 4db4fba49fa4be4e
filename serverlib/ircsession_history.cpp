// Chat history of IrcSession: what it hands to the history store. See docs/protocol.md, "Chat
// history".
#include "serverlib/ircsession.h"

#include "serverlib/servercontext.h"
#include "storagelib/store.h"

namespace Server {

// One push onto the store's bounded queue: the worker never waits for the database. A line the
// store cannot take is counted there as not stored (and logged), never dropped unnoticed.
// Private messages are not kept: only accounts could tell who may read them later.
void IrcSession::storeLine(const QByteArray &command, const QByteArray &channel,
                           const QByteArray &text, const ChatStamp &stamp)
{
    Storage::HistoryMessage message;
    message.msgid = stamp.msgid;
    message.timeMs = stamp.timeMs;
    message.target = Storage::channelTarget(channel);
    message.sender = m_prefix;
    message.command = command;
    message.text = text;
    message.tags = stamp.clientTags;
    m_context.store->append(message);
}

} // namespace Server
