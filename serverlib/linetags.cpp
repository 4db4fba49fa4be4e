#include "serverlib/linetags.h"

namespace Server {

std::shared_ptr<const LineTags> LineTags::make(const QByteArray &time,
                                               const QByteArray &messageTags)
{
    auto tags = std::make_shared<LineTags>();
    const QByteArray timeTag = "time=" + time;
    tags->prefixes[1] = '@' + timeTag + ' ';
    if (!messageTags.isEmpty()) {
        tags->prefixes[2] = '@' + messageTags + ' ';
        tags->prefixes[3] = '@' + timeTag + ';' + messageTags + ' ';
    } else {
        tags->prefixes[3] = tags->prefixes[1];
    }
    return tags;
}

} // namespace Server
