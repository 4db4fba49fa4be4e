#pragma once

#include <QtGlobal>

#include <ctime>

namespace Load {

// CLOCK_MONOTONIC: send and receive times are compared inside one process, so a wall-clock step
// (NTP, a manual change) must never show up as latency.
inline qint64 monotonicNs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

inline constexpr qint64 NsPerSecond = 1'000'000'000;
inline constexpr qint64 NsPerMs = 1'000'000;

} // namespace Load
