#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Irc {

// Splits a message body into pieces of at most `maxBytes`, never inside a UTF-8 sequence and
// preferably at a space, so that a long message reaches its readers whole and readable.
QList<QByteArray> splitText(QByteArrayView text, qsizetype maxBytes);

} // namespace Irc
