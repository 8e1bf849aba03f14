// The worker's decisions: when a record waits without an attempt (paused sink, sink on hold,
// stale claim), and what each outcome of a delivery does to the record and to its sink. Each
// change of a result's delivery state is written to the result log here.
#include <random>

#include "delivery/outbox_worker.hpp"
#include "util/clock.hpp"

namespace fp::delivery {
namespace {
using Clock = std::chrono::steady_clock;
using fp::sdk::DeliveryOutcome;

double randomJitter() {
    thread_local std::mt19937 engine(std::random_device{}());
    std::uniform_real_distribution<double> factor(0.5, 1.5);
    return factor(engine);
}

std::chrono::milliseconds until(Clock::time_point when) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()) +
           std::chrono::milliseconds(1);
}
}  // namespace

std::vector<std::string> OutboxWorker::pausedReasons() const {
    std::vector<std::string> reasons;
    std::lock_guard<std::mutex> lock(sinksMutex_);
    for (const auto& [name, state] : sinks_) {
        if (state.paused)
            reasons.push_back("sink " + name + " is paused: " + state.pausedReason);
    }
    return reasons;
}

std::map<std::string, bool> OutboxWorker::pausedSinks() const {
    std::map<std::string, bool> paused;
    std::lock_guard<std::mutex> lock(sinksMutex_);
    for (const auto& [name, state] : sinks_)
        paused[name] = state.paused;
    return paused;
}

void OutboxWorker::release(const fp::sdk::OutboxRecord& record) {
    auto status = storage_.releaseOutbox(record);
    if (!status.ok()) {
        logger_->warn("result {} for sink {}: could not put it back in the outbox: {}",
                      record.resultId, record.sink, status.message);
    }
    rememberUnfinished(record);
}

bool OutboxWorker::deferIfSinkWaits(fp::sdk::OutboxRecord& record, Clock::time_point claimedAt,
                                    std::shared_ptr<fp::sdk::Sink>& sink, Clock::duration& wait) {
    enum class Decision { deliver, unknownSink, stale, wait } decision = Decision::deliver;
    Clock::time_point waitUntil{};
    std::string reason;
    {
        std::lock_guard<std::mutex> lock(sinksMutex_);
        auto it = sinks_.find(record.sink);
        const auto now = Clock::now();
        if (it == sinks_.end()) {
            decision = Decision::unknownSink;
        } else if (now - claimedAt > std::chrono::seconds(settings_.claimVisibilitySeconds) / 2) {
            // A claim held for half its visibility may soon be taken by another instance:
            // hand it back rather than risk two deliveries of one result at the same time.
            decision = Decision::stale;
        } else if (it->second.paused && it->second.pausedUntil > now) {
            decision = Decision::wait;
            waitUntil = it->second.pausedUntil;
            reason = it->second.pausedReason;
        } else if (it->second.holdUntil > now) {
            decision = Decision::wait;
            waitUntil = it->second.holdUntil;
            reason = it->second.holdReason;
        } else {
            sink = it->second.sink;
            wait = it->second.limiter.reserve();
        }
    }
    switch (decision) {
        case Decision::deliver:
            return false;
        case Decision::unknownSink:
            record.lastError = "no sink named '" + record.sink + "' in this server's config";
            logger_->error("result {}: {}; kept as failed", record.resultId, record.lastError);
            metrics_.countDelivery(record.sink, "failed");
            storage_.failOutbox(record);
            forgetUnfinished(record.id);
            resultLog_.failed(record, record.attempts, record.lastError);
            return true;
        case Decision::stale:
            release(record);
            return true;
        case Decision::wait:
            retryLater(std::move(record), until(waitUntil), reason, false);
            return true;
    }
    return true;
}

void OutboxWorker::applyOutcome(fp::sdk::OutboxRecord record,
                                const fp::sdk::DeliveryResult& result) {
    const std::string& sinkName = record.sink;
    bool resumed = false;
    std::chrono::milliseconds pauseDelay{0};
    {
        std::lock_guard<std::mutex> lock(sinksMutex_);
        SinkState& state = sinks_.at(sinkName);
        if (result.outcome == DeliveryOutcome::paused) {
            state.paused = true;
            ++state.pauses;
            state.pausedReason = result.reason;
            pauseDelay = result.retryAfter.count() > 0
                             ? result.retryAfter
                             : backoff(state.pauses, settings_.initialBackoffMs,
                                       settings_.maxBackoffMs, randomJitter());
            state.pausedUntil = Clock::now() + pauseDelay;
        } else {
            // Any other answer means the sink works again (a retry is about this record).
            resumed = state.paused;
            state.paused = false;
            state.pauses = 0;
            state.pausedReason.clear();
        }
    }
    if (resumed)
        logger_->info("sink {} works again", sinkName);

    switch (result.outcome) {
        case DeliveryOutcome::delivered: {
            metrics_.countDelivery(sinkName, "delivered");
            auto status = storage_.ackOutbox(record.id);
            if (!status.ok()) {
                logger_->warn("result {} delivered to {} but not acknowledged: {}", record.resultId,
                              sinkName, status.message);
            }
            forgetUnfinished(record.id);
            resultLog_.delivered(record);
            return;
        }
        case DeliveryOutcome::failed:
            metrics_.countDelivery(sinkName, "failed");
            record.lastError = result.reason;
            logger_->error("result {} cannot be delivered to {}: {}; kept as failed",
                           record.resultId, sinkName, result.reason);
            storage_.failOutbox(record);
            forgetUnfinished(record.id);
            resultLog_.failed(record, record.attempts + 1, result.reason);
            return;
        case DeliveryOutcome::retry: {
            const auto delay = result.retryAfter.count() > 0
                                   ? result.retryAfter
                                   : backoff(record.attempts + 1, settings_.initialBackoffMs,
                                             settings_.maxBackoffMs, randomJitter());
            {
                std::lock_guard<std::mutex> lock(sinksMutex_);
                SinkState& state = sinks_.at(sinkName);
                state.holdUntil = std::max(state.holdUntil, Clock::now() + delay);
                state.holdReason = result.reason;
            }
            const bool last =
                record.attempts + 1 >= static_cast<std::uint32_t>(settings_.maxAttempts);
            metrics_.countDelivery(sinkName, last ? "failed" : "retried");
            if (!last) {
                logger_->warn("result {} to {}: will retry in {} ms: {}", record.resultId, sinkName,
                              delay.count(), result.reason);
                resultLog_.retrying(record, record.attempts + 1, result.reason,
                                    util::nowUnixMs() + delay.count(), false);
            }
            retryLater(std::move(record), delay, result.reason, true);
            return;
        }
        case DeliveryOutcome::paused:
            metrics_.countDelivery(sinkName, "paused");
            logger_->error("sink {} paused, next try in {} ms: {}", sinkName, pauseDelay.count(),
                           result.reason);
            resultLog_.retrying(record, record.attempts, result.reason,
                                util::nowUnixMs() + pauseDelay.count(), true);
            retryLater(std::move(record), pauseDelay, result.reason, false);
            return;
    }
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
        forgetUnfinished(record.id);
        resultLog_.gaveUp(record, reason);
        return;
    }
    record.notBeforeMs = util::nowUnixMs() + delay.count();
    release(record);
}

}  // namespace fp::delivery
