#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Client::Sasl {

// The most base64 an AUTHENTICATE line carries (IRCv3 sasl-3.1).
inline constexpr qsizetype ChunkBytes = 400;

// RFC 4616's PLAIN message, "authzid NUL authcid NUL password", without an authzid: the
// server then takes the account's own. Raw bytes, not base64.
QByteArray plainMessage(const QString &account, const QString &password);

// The AUTHENTICATE lines that carry `message`: its base64 in pieces of 400 bytes. A last
// piece of exactly 400 bytes, or an empty message, is followed by `AUTHENTICATE +`, so the
// server knows that nothing more comes.
QList<QByteArray> authenticateLines(const QByteArray &message);

// Whether a `sasl` capability value (302: "PLAIN,EXTERNAL"; empty: not said) allows PLAIN.
bool offersPlain(const QByteArray &capabilityValue);

} // namespace Client::Sasl
