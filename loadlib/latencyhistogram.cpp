#include "loadlib/latencyhistogram.h"

#include <bit>
#include <cmath>

namespace Load {

LatencyHistogram::LatencyHistogram() : m_buckets((64 - SubBucketBits + 1) * SubBucketCount, 0) { }

void LatencyHistogram::record(qint64 valueNs)
{
    const qint64 value = qMax<qint64>(valueNs, 0);
    ++m_buckets[bucketOf(quint64(value))];
    ++m_count;
    m_max = qMax(m_max, value);
    m_sum += value;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (size_t bucket = 0; bucket < m_buckets.size(); ++bucket)
        m_buckets[bucket] += other.m_buckets[bucket];
    m_count += other.m_count;
    m_max = qMax(m_max, other.m_max);
    m_sum += other.m_sum;
}

qint64 LatencyHistogram::percentile(double percent) const
{
    if (m_count == 0)
        return 0;
    const auto rank = quint64(std::ceil(percent / 100.0 * double(m_count)));
    quint64 seen = 0;
    for (int bucket = 0; bucket < int(m_buckets.size()); ++bucket) {
        seen += m_buckets[bucket];
        if (seen >= qMax<quint64>(rank, 1))
            return qMin(representativeOf(bucket), m_max);
    }
    return m_max;
}

LatencySummary LatencyHistogram::summary() const
{
    LatencySummary summary;
    summary.count = m_count;
    summary.p50Ns = percentile(50);
    summary.p99Ns = percentile(99);
    summary.p999Ns = percentile(99.9);
    summary.maxNs = m_max;
    summary.meanNs = m_count ? double(m_sum / m_count) : 0.0;
    return summary;
}

// Values below 128 are exact; above, the bucket keeps the 7 bits after the leading one.
int LatencyHistogram::bucketOf(quint64 value)
{
    if (value < SubBucketCount)
        return int(value);
    const int shift = std::bit_width(value) - 1 - SubBucketBits;
    const quint64 mantissa = value >> shift; // in [128, 256)
    return int((shift + 1) * SubBucketCount + (mantissa - SubBucketCount));
}

qint64 LatencyHistogram::representativeOf(int bucket)
{
    if (quint64(bucket) < SubBucketCount)
        return bucket;
    const int shift = int(quint64(bucket) / SubBucketCount) - 1;
    const quint64 mantissa = SubBucketCount + quint64(bucket) % SubBucketCount;
    const quint64 low = mantissa << shift;
    return qint64(low + ((quint64(1) << shift) - 1) / 2); // middle of the bucket
}

} // namespace Load
