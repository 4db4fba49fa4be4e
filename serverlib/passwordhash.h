#pragma once

#include <QByteArray>

// Argon2id password hashes in libsodium's string form (crypto_pwhash_str): the only form in
// which an operator's password is configured, so that no file, command line or log holds it
// in clear. Making or checking one costs tens of milliseconds and 64 MiB: never on a thread
// that serves clients (see PasswordCheck).
namespace Server::PasswordHash {

enum class Cost {
    Interactive, // libsodium's interactive limits: 64 MiB, 2 passes
    Minimal, // libsodium's minimum (8 KiB, 1 pass): for tests that make many hashes, never real use
};

// "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>", with libsodium's interactive limits (or
// `cost`); empty when the memory for it could not be had.
QByteArray make(const QByteArray &password, Cost cost = Cost::Interactive);
// A hash of a random password made once per cost and process, for checking a password against
// when there is no account, so that an unknown name takes as long to refuse as a wrong password.
QByteArray dummy(Cost cost);
// False for a wrong password and for anything that is not a hash.
bool verify(const QByteArray &hash, const QByteArray &password);
// Whether `text` has the form make() produces (it is not checked against any password).
bool isHash(const QByteArray &text);

} // namespace Server::PasswordHash
