#pragma once

#include <QtGlobal>

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
    // getrusage(RUSAGE_SELF): what the generator itself cost.
    static qint64 selfCpuNs();

private:
    static bool readCpu(qint64 pid, ProcessSample *sample);
    static bool readMemory(qint64 pid, ProcessSample *sample);
};

} // namespace Load
