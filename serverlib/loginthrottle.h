#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>

#include <mutex>

namespace Server {

// Failed logins (SASL) per account and per source address, shared by every worker of a server.
// After a few failures (FreeAccountFailures, FreeAddressFailures) every further attempt for that
// account, or from that address, waits: a delay that doubles per further failure, up to a bound, so
// that passwords cannot be guessed at the pace of a loop while a person who mistyped twice notices
// nothing. Unknown and known account names are counted alike, so the delays tell nothing about
// which accounts exist. The table is bounded: entries are forgotten a while after their last
// failure, and when it is full the quarter that failed longest ago goes first.
class LoginThrottle
{
public:
    static constexpr int FreeAccountFailures = 3;
    // A classroom behind one NAT shares an address: it gets more room than one account.
    static constexpr int FreeAddressFailures = 10;
    static constexpr qint64 BaseDelayMs = 1000;
    static constexpr qint64 MaxDelayMs = 30'000;
    static constexpr qint64 ForgetAfterMs = 15 * 60'000;
    static constexpr qsizetype MaxEntries = 4096;

    LoginThrottle() { m_clock.start(); }

    // How long an attempt to log in to `account` from `address` must wait; 0: it may go now.
    qint64 waitMs(const QByteArray &account, const QByteArray &address);
    void recordFailure(const QByteArray &account, const QByteArray &address);
    // The account's own failures are forgotten; the address's are not (it may try others).
    void recordSuccess(const QByteArray &account);
    qsizetype size() const;

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailureMs = 0;
        quint64 lastFailure = 0; // numbers the failures, for forgetting the oldest first
    };
    static QByteArray accountKey(const QByteArray &account);
    static QByteArray addressKey(const QByteArray &address);
    qint64 waitFor(const QByteArray &key, int freeFailures, qint64 nowMs) const;
    void note(const QByteArray &key, qint64 nowMs);
    void makeRoom(qint64 nowMs);

    mutable std::mutex m_mutex;
    QHash<QByteArray, Entry> m_entries;
    QElapsedTimer m_clock;
    quint64 m_failures = 0;
};

} // namespace Server
