// Delivers finalized results from the outbox in storage to the sinks: at least once, with
// exponential backoff and jitter, honouring Retry-After, within a request rate per sink,
// on its own thread so room traffic never waits for a sink.
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/app_config.hpp"
#include "delivery/rate_limiter.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "metrics/metrics_registry.hpp"

namespace fp::delivery {

class OutboxWorker {
  public:
    OutboxWorker(fp::sdk::Storage& storage, config::DeliverySettings settings,
                 metrics::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger,
                 std::string consumerId);
    ~OutboxWorker();

    void addSink(const std::string& name, std::shared_ptr<fp::sdk::Sink> sink);
    void start();
    // Delivers what is due until the outbox is empty or the deadline passes, then stops.
    void flushAndStop(std::chrono::steady_clock::time_point deadline);
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
    // Returns how many records were processed.
    std::size_t deliverBatch(TimePoint deadline);
    void deliverOne(fp::sdk::OutboxRecord record, TimePoint claimedAt, TimePoint deadline);
    // True when the record went back to the queue without a delivery attempt.
    bool deferIfSinkWaits(fp::sdk::OutboxRecord& record, TimePoint claimedAt,
                          std::shared_ptr<fp::sdk::Sink>& sink, TimePoint::duration& wait);
    void applyOutcome(fp::sdk::OutboxRecord record, const fp::sdk::DeliveryResult& result);
    void retryLater(fp::sdk::OutboxRecord record, std::chrono::milliseconds delay,
                    const std::string& reason, bool countAttempt);
    void release(const fp::sdk::OutboxRecord& record);

    fp::sdk::Storage& storage_;
    config::DeliverySettings settings_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    std::string consumerId_;

    mutable std::mutex sinksMutex_;
    std::map<std::string, SinkState> sinks_;

    std::mutex wakeMutex_;
    std::condition_variable wakeCondition_;
    bool wakeRequested_ = false;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace fp::delivery
