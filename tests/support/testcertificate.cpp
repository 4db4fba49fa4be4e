#include "tests/support/testcertificate.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>

QString makeTestCertificate(const QString &directory)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        return QStringLiteral("the openssl tool makes the test certificate: install openssl");
    const QDir dir(directory);
    QProcess req;
    req.setProcessChannelMode(QProcess::MergedChannels);
    req.start(openssl,
              {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
               QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
               QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
               QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
               QStringLiteral("/CN=qtchat test"), QStringLiteral("-addext"),
               QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"),
               dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
               dir.filePath(QStringLiteral("cert.pem"))});
    if (!req.waitForFinished(30000) || req.exitCode() != 0)
        return QStringLiteral("openssl req failed: ") + QString::fromLocal8Bit(req.readAll());
    return {};
}
