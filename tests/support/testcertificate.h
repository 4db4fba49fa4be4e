#pragma once

#include <QString>

// A throwaway self-signed EC certificate for 127.0.0.1, valid for two days, made with the
// openssl tool into `directory` as cert.pem and key.pem. Empty on success, otherwise why not.
QString makeTestCertificate(const QString &directory);
