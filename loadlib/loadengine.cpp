#include "loadlib/loadengine.h"

#include "loadlib/endpoints.h"
#include "loadlib/trafficrun.h"

#include <pthread.h>

namespace Load {

LoadEngine::~LoadEngine()
{
    stop(StopMode::Now);
}

bool LoadEngine::start(const LoadOptions &options, QString *error)
{
    if (isRunning()) {
        *error = QStringLiteral("a load run is still active");
        return false;
    }
    *error = options.validate();
    if (error->isEmpty() && options.scenario == Scenario::Churn)
        *error = QStringLiteral("the engine runs traffic scenarios, not churn");
    if (!error->isEmpty())
        return false;
    const std::optional<Endpoints> endpoints = Endpoints::resolve(options, error);
    if (!endpoints)
        return false;
    m_control.reset();
    m_finished.store(false, std::memory_order_release);
    {
        const std::lock_guard lock(m_reportMutex);
        m_report.reset();
    }
    m_thread = std::thread([this, options, endpoints = *endpoints] { run(options, endpoints); });
    return true;
}

void LoadEngine::requestStop(StopMode mode)
{
    m_control.requestStop(mode);
}

void LoadEngine::stop(StopMode mode)
{
    if (!isRunning())
        return;
    requestStop(mode);
    join();
}

void LoadEngine::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

std::optional<LoadReport> LoadEngine::report() const
{
    const std::lock_guard lock(m_reportMutex);
    return m_report;
}

void LoadEngine::run(const LoadOptions &options, const Endpoints &endpoints)
{
    // Named like the generator's shard threads, so that top -H and perf tell them apart from
    // the server's.
    pthread_setname_np(pthread_self(), "load-0");
    LoadReport report = TrafficRun(options, endpoints, &m_control).run();
    {
        const std::lock_guard lock(m_reportMutex);
        m_report = std::move(report);
    }
    m_finished.store(true, std::memory_order_release);
}

} // namespace Load
