#pragma once

#include <QCoreApplication>
#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace Server {

// The server side of TLS: the certificate (chain) and private key from PEM files, checked
// before the server listens so that a bad path or file is a clear start error rather than a
// handshake failure at every client. Whether the key belongs to the certificate is not checked
// here; a mismatch fails each handshake with a TLS error.
std::optional<QSslConfiguration> loadServerTls(const QString &certificatePath,
                                               const QString &keyPath, QString *error);

} // namespace Server
