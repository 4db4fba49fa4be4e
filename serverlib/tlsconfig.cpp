#include "serverlib/tlsconfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace Server {

namespace {

std::optional<QByteArray> readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("Server::TlsConfig", "Cannot read '%1': %2")
                     .arg(path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

QSslKey privateKeyFrom(const QByteArray &pem)
{
    // A PEM file does not say which algorithm Qt should expect; try those a server key uses.
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

std::optional<QSslConfiguration> loadServerTls(const QString &certificatePath,
                                               const QString &keyPath, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QCoreApplication::translate(
            "Server::TlsConfig",
            "TLS is not available: Qt found no TLS backend (is OpenSSL 3 installed?).");
        return std::nullopt;
    }
    const std::optional<QByteArray> certificatePem = readFile(certificatePath, error);
    const std::optional<QByteArray> keyPem
        = certificatePem ? readFile(keyPath, error) : std::nullopt;
    if (!keyPem)
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QCoreApplication::translate("Server::TlsConfig", "'%1' holds no PEM certificate.")
                     .arg(certificatePath);
        return std::nullopt;
    }
    const QSslKey key = privateKeyFrom(*keyPem);
    if (key.isNull()) {
        *error = QCoreApplication::translate(
                     "Server::TlsConfig",
                     "'%1' holds no unencrypted PEM private key (RSA, EC or DSA).")
                     .arg(keyPath);
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    // Clients are not asked for certificates; who they are is the IRC registration's business.
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

} // namespace Server
