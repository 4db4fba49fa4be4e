#include "serverlib/passwordcheck.h"

#include "serverlib/mailbox.h"
#include "serverlib/passwordhash.h"

#include <QThreadPool>

#include <atomic>

namespace Server::PasswordCheck {

namespace {

std::atomic<int> pending {0};

// Process-wide, so that stopping a server never waits for a check: a check still running
// posts to a mailbox that is closed by then, which drops the verdict.
struct CheckPool : QThreadPool
{
    CheckPool()
    {
        setObjectName(QStringLiteral("password-check"));
        setMaxThreadCount(MaxThreads);
    }
};

QThreadPool &pool()
{
    static CheckPool threads;
    return threads;
}

} // namespace

bool start(const QByteArray &hash, const QByteArray &password, const MemberGroup &client,
           Verdict verdict)
{
    if (pending.fetch_add(1) >= MaxPending) {
        pending.fetch_sub(1);
        return false;
    }
    // A deep copy, so that the task owns the only copy of the password it wipes.
    QByteArray secret(password.constData(), password.size());
    pool().start(
        [hash, secret = std::move(secret), client, verdict = std::move(verdict)]() mutable {
            const bool accepted = PasswordHash::verify(hash, secret);
            secret.fill('\0');
            client.mailbox->post({{}, client.ids, 0, [verdict, accepted](Session &session) {
                                      verdict(session, accepted);
                                  }});
            pending.fetch_sub(1);
        });
    return true;
}

bool run(std::function<void()> job)
{
    if (pending.fetch_add(1) >= MaxPending) {
        pending.fetch_sub(1);
        return false;
    }
    pool().start([job = std::move(job)] {
        job();
        pending.fetch_sub(1);
    });
    return true;
}

} // namespace Server::PasswordCheck
