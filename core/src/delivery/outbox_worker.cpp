#include "delivery/outbox_worker.hpp"

#include <cmath>
#include <random>

#include "util/clock.hpp"

namespace fp::delivery {
namespace {
using Clock = std::chrono::steady_clock;

double randomJitter() {
    thread_local std::mt19937 engine(std::random_device{}());
    std::uniform_real_distribution<double> factor(0.5, 1.5);
    return factor(engine);
}

const char* outcomeName(fp::sdk::DeliveryOutcome outcome) {
    switch (outcome) {
        case fp::sdk::DeliveryOutcome::delivered:
            return "delivered";
        case fp::sdk::DeliveryOutcome::retry:
            return "retried";
        case fp::sdk::DeliveryOutcome::failed:
            return "failed";
        case fp::sdk::DeliveryOutcome::paused:
            return "paused";
    }
    return "unknown";
}
}  // namespace

OutboxWorker::OutboxWorker(fp::sdk::Storage& storage, config::DeliverySettings settings,
                           metrics::MetricsRegistry& metrics,
                           std::shared_ptr<spdlog::logger> logger, std::string consumerId)
    : storage_(storage),
      settings_(settings),
      metrics_(metrics),
      logger_(std::move(logger)),
      consumerId_(std::move(consumerId)) {}

OutboxWorker::~OutboxWorker() {
    stopping_ = true;
    wake();
    if (thread_.joinable())
        thread_.join();
}

void OutboxWorker::addSink(const std::string& name, std::shared_ptr<fp::sdk::Sink> sink) {
    std::lock_guard<std::mutex> lock(sinksMutex_);
    const double rate = settings_.requestsPerSecond;
    sinks_.emplace(name,
                   SinkState{std::move(sink), RateLimiter(rate, std::max(1.0, rate)), {}, {}});
}

std::chrono::milliseconds OutboxWorker::backoff(std::uint32_t attempts, int initialMs, int maxMs,
                                                double jitterFactor) {
    const double exponent = std::min<double>(attempts > 0 ? attempts - 1 : 0, 30);
    const double base = std::min<double>(initialMs * std::pow(2.0, exponent), maxMs);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(std::min<double>(base * jitterFactor, maxMs)));
}

void OutboxWorker::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void OutboxWorker::wake() {
    {
        std::lock_guard<std::mutex> lock(wakeMutex_);
        wakeRequested_ = true;
    }
    wakeCondition_.notify_all();
}

std::vector<std::string> OutboxWorker::pausedReasons() const {
    std::vector<std::string> reasons;
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(sinksMutex_);
    for (const auto& [name, state] : sinks_) {
        if (state.pausedUntil > now) {
            reasons.push_back("sink " + name + " is paused: " + state.pausedReason);
        }
    }
    return reasons;
}

void OutboxWorker::run() {
    while (!stopping_) {
        const std::size_t processed = deliverBatch(Clock::time_point::max());
        if (processed > 0)
            continue;
        std::unique_lock<std::mutex> lock(wakeMutex_);
        wakeCondition_.wait_for(lock, std::chrono::milliseconds(250),
                                [this] { return wakeRequested_ || stopping_.load(); });
        wakeRequested_ = false;
    }
}

void OutboxWorker::flushAndStop(Clock::time_point deadline) {
    stopping_ = true;
    wake();
    if (thread_.joinable())
        thread_.join();
    // One last pass on the caller's thread: what is due now goes out before the process ends.
    while (Clock::now() < deadline) {
        if (deliverBatch(deadline) == 0)
            break;
    }
}

std::size_t OutboxWorker::deliverBatch(Clock::time_point deadline) {
    auto claimed = storage_.claimOutbox(consumerId_, 16,
                                        std::chrono::seconds(settings_.claimVisibilitySeconds));
    if (!claimed.status.ok()) {
        logger_->warn("claiming results from the outbox failed: {}", claimed.status.message);
        return 0;
    }
    std::size_t processed = 0;
    for (auto& record : claimed.records) {
        if (Clock::now() >= deadline) {
            // Unprocessed claims go back at once instead of waiting out their visibility.
            storage_.releaseOutbox(record);
            continue;
        }
        deliverOne(std::move(record), deadline);
        ++processed;
    }
    return processed;
}

void OutboxWorker::retryLater(fp::sdk::OutboxRecord record, std::chrono::milliseconds delay,
                              const std::string& reason, bool countAttempt) {
    if (countAttempt)
        ++record.attempts;
    record.lastError = reason;
    if (countAttempt && record.attempts >= static_cast<std::uint32_t>(settings_.maxAttempts)) {
        logger_->error("result {} for sink {} failed after {} attempts, kept as failed: {}",
                       record.resultId, record.sink, record.attempts, reason);
        storage_.failOutbox(record);
        return;
    }
    record.notBeforeMs = util::nowUnixMs() + delay.count();
    auto status = storage_.releaseOutbox(record);
    if (!status.ok()) {
        logger_->warn("result {} for sink {}: could not reschedule: {}", record.resultId,
                      record.sink, status.message);
    }
}

void OutboxWorker::deliverOne(fp::sdk::OutboxRecord record, Clock::time_point deadline) {
    std::shared_ptr<fp::sdk::Sink> sink;
    Clock::duration wait{};
    {
        std::lock_guard<std::mutex> lock(sinksMutex_);
        auto it = sinks_.find(record.sink);
        if (it == sinks_.end()) {
            record.lastError = "no sink named '" + record.sink + "' in this server's config";
            logger_->error("result {}: {}; kept as failed", record.resultId, record.lastError);
            storage_.failOutbox(record);
            return;
        }
        SinkState& state = it->second;
        const auto now = Clock::now();
        if (state.pausedUntil > now) {
            auto delay =
                std::chrono::duration_cast<std::chrono::milliseconds>(state.pausedUntil - now);
            retryLater(std::move(record), delay, state.pausedReason, false);
            return;
        }
        sink = state.sink;
        wait = state.limiter.reserve();
    }
    if (wait > Clock::duration::zero()) {
        if (Clock::now() + wait > deadline) {
            storage_.releaseOutbox(record);
            return;
        }
        std::this_thread::sleep_for(wait);
    }

    fp::sdk::DeliveryResult result;
    try {
        result = sink->deliver(record.resultId, record.payload);
    } catch (const std::exception& e) {
        // A sink that throws is treated as not working right now.
        result = {fp::sdk::DeliveryOutcome::paused, {}, std::string("sink threw: ") + e.what()};
    } catch (...) {
        result = {fp::sdk::DeliveryOutcome::paused, {}, "sink threw an unknown exception"};
    }
    metrics_.countDelivery(record.sink, outcomeName(result.outcome));

    switch (result.outcome) {
        case fp::sdk::DeliveryOutcome::delivered: {
            auto status = storage_.ackOutbox(record.id);
            if (!status.ok()) {
                logger_->warn("result {} delivered to {} but not acknowledged: {}", record.resultId,
                              record.sink, status.message);
            }
            return;
        }
        case fp::sdk::DeliveryOutcome::failed:
            record.lastError = result.reason;
            logger_->error("result {} cannot be delivered to {}: {}; kept as failed",
                           record.resultId, record.sink, result.reason);
            storage_.failOutbox(record);
            return;
        case fp::sdk::DeliveryOutcome::retry: {
            auto delay = result.retryAfter.count() > 0
                             ? result.retryAfter
                             : backoff(record.attempts + 1, settings_.initialBackoffMs,
                                       settings_.maxBackoffMs, randomJitter());
            logger_->warn("result {} to {}: will retry in {} ms: {}", record.resultId, record.sink,
                          delay.count(), result.reason);
            retryLater(std::move(record), delay, result.reason, true);
            return;
        }
        case fp::sdk::DeliveryOutcome::paused: {
            auto delay =
                result.retryAfter.count() > 0
                    ? result.retryAfter
                    : std::chrono::milliseconds(std::max(5000, settings_.initialBackoffMs));
            {
                std::lock_guard<std::mutex> lock(sinksMutex_);
                auto& state = sinks_.at(record.sink);
                state.pausedUntil = Clock::now() + delay;
                state.pausedReason = result.reason;
            }
            logger_->error("sink {} paused for {} ms: {}", record.sink, delay.count(),
                           result.reason);
            retryLater(std::move(record), delay, result.reason, false);
            return;
        }
    }
}

}  // namespace fp::delivery
