#include "serverlib/linetags.h"

namespace Server {

std::shared_ptr<const LineTags>
LineTags::make(const QByteArray &time, const QByteArray &messageTags, const QByteArray &account)
{
    auto tags = std::make_shared<LineTags>();
    tags->time = time;
    tags->messageTags = messageTags;
    tags->account = account;
    const QByteArray timeTag = "time=" + time;
    tags->prefixes[1] = '@' + timeTag + ' ';
    if (!messageTags.isEmpty()) {
        tags->prefixes[2] = '@' + messageTags + ' ';
        tags->prefixes[3] = '@' + timeTag + ';' + messageTags + ' ';
    } else {
        tags->prefixes[3] = tags->prefixes[1];
    }
    for (int variant = 0; variant < 4; ++variant) {
        const QByteArray &without = tags->prefixes[variant];
        if (account.isEmpty()) // implicitly shared: no copy of the bytes
            tags->prefixes[variant + 4] = without;
        else if (without.isEmpty())
            tags->prefixes[variant + 4] = "@account=" + account + ' ';
        else // `@account=...;` before the rest of the tags
            tags->prefixes[variant + 4] = "@account=" + account + ';' + without.sliced(1);
    }
    return tags;
}

} // namespace Server
