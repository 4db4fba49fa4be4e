#pragma once

#include <QByteArray>

namespace Client {

// `line` as a log or a raw view may show it: the secrets of PASS, OPER, AUTHENTICATE and
// REGISTER replaced by "****". Lines without one are returned unchanged.
QByteArray withoutSecrets(const QByteArray &line);

} // namespace Client
