// Delivers finalized results from the outbox in storage to the sinks: at least once, with
// exponential backoff and jitter, honouring Retry-After, within a request rate per sink,
// on its own thread so room traffic never waits for a sink. Every change of a result's
// delivery state goes to the result log (delivered, retrying, failed, gave_up, and pending for
// what is left when it stops).
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/app_config.hpp"
#include "delivery/rate_limiter.hpp"
#include "delivery/result_log.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "metrics/metrics_registry.hpp"

namespace fp::delivery {

class OutboxWorker {
  public:
    OutboxWorker(fp::sdk::Storage& storage, config::DeliverySettings settings,
                 metrics::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger,
                 std::string consumerId, const ResultLog& resultLog);
    ~OutboxWorker();

    void addSink(const std::string& name, std::shared_ptr<fp::sdk::Sink> sink);
    void start();
    // Stops the worker thread, then drains on the caller's thread until the deadline: delivers
    // what is due, and waits for the results it put back (backoff, Retry-After, a paused sink)
    // that come due before the deadline. What is left is logged as `result.pending` (and put
    // back in the outbox), so a replay of the log finds it.
    void flushAndStop(std::chrono::steady_clock::time_point deadline);
    // Delivers what is due now on the caller's thread, once (tests; the thread does the same).
    std::size_t deliverDueNow() {
        return deliverBatch(std::chrono::steady_clock::time_point::max());
    }
    void wake();
    // Sinks that are paused (bad credentials...), for /readyz: a sink stays paused until a
    // delivery to it gets an answer other than `paused` again.
    std::vector<std::string> pausedReasons() const;
    // Every sink by name, true when paused (the fp_sink_paused gauge).
    std::map<std::string, bool> pausedSinks() const;

    // Exposed for tests: the delay before attempt `attempts + 1`.
    static std::chrono::milliseconds backoff(std::uint32_t attempts, int initialMs, int maxMs,
                                             double jitterFactor);

  private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct SinkState {
        SinkState(std::shared_ptr<fp::sdk::Sink> s, RateLimiter l)
            : sink(std::move(s)), limiter(l) {}
        std::shared_ptr<fp::sdk::Sink> sink;
        RateLimiter limiter;
        bool paused = false;
        std::uint32_t pauses = 0;  // consecutive paused answers, for the probe interval
        TimePoint pausedUntil{};   // while paused: when the next record may probe the sink
        std::string pausedReason;
        // After a `retry` (429, 5xx, timeout) the whole sink waits as long as that record,
        // so the records behind it spend no attempts on the same trouble.
        TimePoint holdUntil{};
        std::string holdReason;
    };

    void run();
    // Returns how many records were processed (not counting those handed back untried because
    // the deadline was near).
    std::size_t deliverBatch(TimePoint deadline);
    bool deliverOne(fp::sdk::OutboxRecord record, TimePoint claimedAt, TimePoint deadline);
    // True when the record went back to the queue without a delivery attempt.
    bool deferIfSinkWaits(fp::sdk::OutboxRecord& record, TimePoint claimedAt,
                          std::shared_ptr<fp::sdk::Sink>& sink, TimePoint::duration& wait);
    void applyOutcome(fp::sdk::OutboxRecord record, const fp::sdk::DeliveryResult& result);
    void retryLater(fp::sdk::OutboxRecord record, std::chrono::milliseconds delay,
                    const std::string& reason, bool countAttempt);
    void release(const fp::sdk::OutboxRecord& record);
    // Results this worker put back in the outbox and has not finished, by record id: what a
    // drain waits for and what is pending at shutdown besides what can be claimed then.
    void rememberUnfinished(const fp::sdk::OutboxRecord& record);
    void forgetUnfinished(const std::string& recordId);
    // Unix ms when the earliest remembered result comes due; nullopt when none.
    std::optional<std::int64_t> nextUnfinishedDueMs();
    void logPending();

    fp::sdk::Storage& storage_;
    config::DeliverySettings settings_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    std::string consumerId_;
    const ResultLog& resultLog_;

    std::mutex unfinishedMutex_;
    std::map<std::string, fp::sdk::OutboxRecord> unfinished_;

    mutable std::mutex sinksMutex_;
    std::map<std::string, SinkState> sinks_;

    std::mutex wakeMutex_;
    std::condition_variable wakeCondition_;
    bool wakeRequested_ = false;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace fp::delivery
