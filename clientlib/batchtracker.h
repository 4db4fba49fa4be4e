#pragma once

#include "protocol/ircmessage.h"
#include "protocol/messagetags.h"

#include <QByteArray>
#include <QHash>

namespace Client {

// The open IRCv3 batches of a connection (BATCH +ref ... BATCH -ref) and the labeled-response
// label each answers, so that every line can be traced back to the request it answers.
class BatchTracker
{
public:
    // The label a line answers: its own `label` tag, or that of the batch it belongs to.
    QByteArray labelOf(const Irc::MessageTags &tags) const;
    // A BATCH line opens or closes a batch. Returns the label whose response is complete
    // when a labeled batch closes, else an empty array.
    QByteArray apply(const Irc::IrcMessage &message, const Irc::MessageTags &tags);
    // The type of the batch a line is in (`netsplit`, `chathistory`, ...); empty outside one.
    QByteArray typeOf(const Irc::MessageTags &tags) const;
    void clear() { m_open.clear(); }
    qsizetype openCount() const { return m_open.size(); }

private:
    struct Batch
    {
        QByteArray type;
        QByteArray label; // its own, or inherited from the batch it is nested in
        bool labeled = false; // the label tag is on this batch's opening line
    };

    QHash<QByteArray, Batch> m_open;
};

} // namespace Client
