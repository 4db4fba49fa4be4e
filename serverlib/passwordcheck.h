#pragma once

#include "serverlib/registry.h"

#include <QByteArray>

#include <functional>

namespace Server {

class Session;

// Checks a password against its Argon2id hash off the serving threads: a check takes tens of
// milliseconds and 64 MiB, and on a worker it would stall every client that worker serves. The
// checks run on a small process-wide thread pool; each verdict comes back to the client's own
// worker as a queued call through its mailbox, which skips a client that has left meanwhile.
namespace PasswordCheck {

// Checks at most this many at once: each holds 64 MiB while it runs.
inline constexpr int MaxThreads = 2;
// Checks running or waiting, all clients together; beyond it start() refuses.
inline constexpr int MaxPending = 16;

using Verdict = std::function<void(Session &session, bool accepted)>;

// Checks `password` against `hash` on the pool, then runs `verdict` on the session `client`
// (whose worker `client.mailbox` names) in its worker's thread. False, and nothing runs, when
// MaxPending checks are already under way.
bool start(const QByteArray &hash, const QByteArray &password, const MemberGroup &client,
           Verdict verdict);

// Runs `job` (hashing or checking an account's password, see IrcSession's accounts) on the same
// pool, under the same MaxPending. False, and nothing runs, when that many are under way.
bool run(std::function<void()> job);

} // namespace PasswordCheck

} // namespace Server
