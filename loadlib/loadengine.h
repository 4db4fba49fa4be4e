#pragma once

#include "loadlib/loadoptions.h"
#include "loadlib/loadprogress.h"
#include "loadlib/loadreport.h"
#include "loadlib/runcontrol.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

namespace Load {

class Endpoints;

// The load generator as a component, for the app's load lab: one traffic run at a time on a
// thread of its own (its epoll loops are no event loop Qt could share). start(), stop() and
// join() belong to one owning thread, the GUI's; progress() may be called from any thread and
// never waits for the run, only for a shard's brief publish.
class LoadEngine
{
public:
    using StopMode = RunControl::StopMode;

    LoadEngine() = default;
    ~LoadEngine(); // stop(StopMode::Now)
    LoadEngine(const LoadEngine &) = delete;
    LoadEngine &operator=(const LoadEngine &) = delete;

    // Starts a traffic run (not churn) with `options`. `options.host` is resolved here, in the
    // caller's thread: give a numeric address. False, with `error`, when a run is still
    // active (or not joined) or the options are unusable.
    bool start(const LoadOptions &options, QString *error);
    // Returns at once; the run winds down in its own thread and hasFinished() turns true.
    void requestStop(StopMode mode = StopMode::Drain);
    // requestStop(mode), then joins. Bounded: the run notices within 100 ms, and draining and
    // quitting take at most two seconds each (Now skips the drain).
    void stop(StopMode mode = StopMode::Now);
    // The run's thread has returned: join() will not block.
    bool hasFinished() const { return m_finished.load(std::memory_order_acquire); }
    // A run was started and its thread not joined yet.
    bool isRunning() const { return m_thread.joinable(); }
    void join();

    LoadProgress progress() const { return m_control.snapshot(); }
    // The last run's report, once it has finished.
    std::optional<LoadReport> report() const;

private:
    void run(const LoadOptions &options, const Endpoints &endpoints);

    RunControl m_control;
    std::thread m_thread;
    std::atomic<bool> m_finished {false};
    mutable std::mutex m_reportMutex;
    std::optional<LoadReport> m_report;
};

} // namespace Load
