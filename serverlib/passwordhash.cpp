#include "serverlib/passwordhash.h"

#include <sodium.h>

#include <mutex>

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

QByteArray make(const QByteArray &password, Cost cost)
{
    const bool minimal = cost == Cost::Minimal;
    const unsigned long long passes
        = minimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const size_t memory = minimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    char hash[crypto_pwhash_STRBYTES];
    if (!initialized()
        || crypto_pwhash_str_alg(hash, password.constData(), quint64(password.size()), passes,
                                 memory, crypto_pwhash_ALG_ARGON2ID13)
            != 0)
        return {};
    return QByteArray(hash);
}

QByteArray dummy(Cost cost)
{
    static std::mutex mutex;
    static QByteArray hashes[2];
    std::lock_guard lock(mutex);
    QByteArray &hash = hashes[cost == Cost::Minimal ? 1 : 0];
    if (hash.isEmpty() && initialized()) {
        QByteArray secret(32, '\0');
        randombytes_buf(secret.data(), size_t(secret.size()));
        hash = make(secret, cost);
    }
    return hash;
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
