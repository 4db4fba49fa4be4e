#include "loadlib/processstats.h"

#include "loadlib/monotonicclock.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace Load {

namespace {

QByteArray readProcFile(qint64 pid, const char *name)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(name)));
    // /proc files report size 0: read until the end instead of trusting size().
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 statusKb(const QByteArray &status, QByteArrayView key)
{
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

qint64 timevalNs(const timeval &value)
{
    return qint64(value.tv_sec) * NsPerSecond + qint64(value.tv_usec) * 1000;
}

} // namespace

ProcessSample ProcessStats::sample(qint64 pid)
{
    ProcessSample sample;
    sample.valid = pid > 0 && readCpu(pid, &sample) && readMemory(pid, &sample);
    return sample;
}

ProcessSample ProcessStats::sample(const QList<qint64> &pids)
{
    ProcessSample total;
    total.valid = !pids.isEmpty();
    for (qint64 pid : pids) {
        const ProcessSample one = sample(pid);
        total.valid = total.valid && one.valid;
        total.cpuNs += one.cpuNs;
        total.rssKb += one.rssKb;
        total.peakRssKb += one.peakRssKb;
    }
    return total;
}

qint64 ProcessStats::selfCpuNs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return timevalNs(usage.ru_utime) + timevalNs(usage.ru_stime);
}

bool ProcessStats::readCpu(qint64 pid, ProcessSample *sample)
{
    const QByteArray stat = readProcFile(pid, "stat");
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const qsizetype nameEnd = stat.lastIndexOf(')');
    if (nameEnd < 0)
        return false;
    const QList<QByteArray> fields = stat.mid(nameEnd + 2).split(' ');
    constexpr int UtimeIndex = 11; // field 14 of proc(5); this list starts at field 3
    constexpr int StimeIndex = 12;
    if (fields.size() <= StimeIndex)
        return false;
    const qint64 ticks = fields[UtimeIndex].toLongLong() + fields[StimeIndex].toLongLong();
    sample->cpuNs = ticks * NsPerSecond / sysconf(_SC_CLK_TCK);
    return true;
}

bool ProcessStats::readMemory(qint64 pid, ProcessSample *sample)
{
    const QByteArray status = readProcFile(pid, "status");
    sample->rssKb = statusKb(status, "VmRSS:");
    sample->peakRssKb = statusKb(status, "VmHWM:");
    return !status.isEmpty();
}

} // namespace Load
