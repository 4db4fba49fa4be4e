#pragma once

#include <QByteArray>

// Argon2id password hashes in libsodium's string form (crypto_pwhash_str): the only form in
// which an operator's password is configured, so that no file, command line or log holds it
// in clear. Making or checking one costs tens of milliseconds and 64 MiB: never on a thread
// that serves clients (see PasswordCheck).
namespace Server::PasswordHash {

// "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>", with libsodium's interactive limits; empty
// when the memory for it could not be had.
QByteArray make(const QByteArray &password);
// False for a wrong password and for anything that is not a hash.
bool verify(const QByteArray &hash, const QByteArray &password);
// Whether `text` has the form make() produces (it is not checked against any password).
bool isHash(const QByteArray &text);

} // namespace Server::PasswordHash
