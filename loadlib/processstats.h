#pragma once

#include <QList>

namespace Load {

// CPU and memory of a process at one moment.
struct ProcessSample
{
    bool valid = false;
    qint64 cpuNs = 0; // user + system, all threads
    qint64 rssKb = 0;
    qint64 peakRssKb = 0; // VmHWM
};

// Reads another process's /proc entries and this process's own rusage.
class ProcessStats
{
public:
    // utime + stime from /proc/PID/stat (clock-tick resolution), VmRSS and VmHWM from
    // /proc/PID/status. Invalid when the process is gone or not readable.
    static ProcessSample sample(qint64 pid);
    // The sum over several processes (a cluster's nodes and its Redis); peak RSS is the sum of
    // each one's peak. Invalid when any of them is.
    static ProcessSample sample(const QList<qint64> &pids);
    // getrusage(RUSAGE_SELF): what the generator itself cost.
    static qint64 selfCpuNs();

private:
    static bool readCpu(qint64 pid, ProcessSample *sample);
    static bool readMemory(qint64 pid, ProcessSample *sample);
};

} // namespace Load
