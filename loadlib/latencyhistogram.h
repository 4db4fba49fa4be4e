#pragma once

#include <QtGlobal>

#include <vector>

namespace Load {

// Percentiles of a summary, in nanoseconds.
struct LatencySummary
{
    quint64 count = 0;
    qint64 p50Ns = 0;
    qint64 p99Ns = 0;
    qint64 p999Ns = 0;
    qint64 maxNs = 0;
    double meanNs = 0;
};

// A log-linear histogram (HdrHistogram's idea): fixed memory however many samples, under 1 %
// error. Two million deliveries would otherwise mean keeping and sorting two million samples.
class LatencyHistogram
{
public:
    LatencyHistogram();

    void record(qint64 valueNs);
    void merge(const LatencyHistogram &other);
    quint64 count() const { return m_count; }
    // The smallest recorded value v such that `percent` % of the samples are <= v (approximately).
    qint64 percentile(double percent) const;
    LatencySummary summary() const;

private:
    static constexpr int SubBucketBits = 7; // 128 sub-buckets per power of two: < 0.8 % error
    static constexpr quint64 SubBucketCount = quint64(1) << SubBucketBits;

    static int bucketOf(quint64 value);
    static qint64 representativeOf(int bucket);

    std::vector<quint64> m_buckets;
    quint64 m_count = 0;
    qint64 m_max = 0;
    long double m_sum = 0;
};

} // namespace Load
