#include "serverlib/tutorialsession.h"

#include "serverlib/worker.h"

namespace Server {

void TutorialSession::processInput()
{
    const QByteArray chunk = transport().read().toByteArray();
    if (chunk.isEmpty())
        return;
    worker().countMessage();
    worker().reportRelayed(peer().toUtf8(), QByteArray(), chunk);
    // The tutorial compares `data.upper() == "Q"` on the decoded chunk, without stripping.
    if (chunk.toUpper() == "Q") {
        hangUp();
        return;
    }
    send(QStringLiteral("收到收到").toUtf8());
}

} // namespace Server
