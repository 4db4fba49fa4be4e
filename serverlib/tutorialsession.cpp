#include "tutorialsession.h"

#include "worker.h"

#include <QTcpSocket>

void TutorialSession::processInput()
{
    const QByteArray chunk = socket()->readAll();
    worker().countMessage();
    worker().reportRelayed(peer().toUtf8(), QByteArray(), chunk);
    // The tutorial compares `data.upper() == "Q"` on the decoded chunk, without stripping.
    if (chunk.toUpper() == "Q") {
        socket()->disconnectFromHost();
        return;
    }
    send(QStringLiteral("收到收到").toUtf8());
}
