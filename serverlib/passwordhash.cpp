#include "serverlib/passwordhash.h"

#include <sodium.h>

namespace Server::PasswordHash {

namespace {

constexpr char Prefix[] = "$argon2id$";

bool initialized()
{
    // sodium_init() is thread-safe and may be called again; -1 means the library is unusable.
    static const bool ready = sodium_init() >= 0;
    return ready;
}

} // namespace

QByteArray make(const QByteArray &password)
{
    char hash[crypto_pwhash_STRBYTES];
    if (!initialized()
        || crypto_pwhash_str_alg(hash, password.constData(), quint64(password.size()),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)
            != 0)
        return {};
    return QByteArray(hash);
}

bool verify(const QByteArray &hash, const QByteArray &password)
{
    // The string must be NUL-terminated within crypto_pwhash_STRBYTES; QByteArray is.
    return initialized() && isHash(hash)
        && crypto_pwhash_str_verify(hash.constData(), password.constData(),
                                    quint64(password.size()))
        == 0;
}

bool isHash(const QByteArray &text)
{
    return text.startsWith(Prefix) && text.size() < qsizetype(crypto_pwhash_STRBYTES)
        && !text.contains(' ') && !text.contains(':') && text.count('$') == 5;
}

} // namespace Server::PasswordHash
