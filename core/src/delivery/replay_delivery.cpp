#include "delivery/replay_delivery.hpp"

#include <cstdio>
#include <random>
#include <thread>

#include "delivery/outbox_worker.hpp"

namespace fp::delivery {
namespace {
using fp::sdk::DeliveryOutcome;

double randomJitter() {
    thread_local std::mt19937 engine(std::random_device{}());
    std::uniform_real_distribution<double> factor(0.5, 1.5);
    return factor(engine);
}

std::string seconds(std::chrono::milliseconds delay) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(delay.count()) / 1000.0);
    return text;
}
}  // namespace

ReplayDeliverer::ReplayDeliverer(config::DeliverySettings settings, Progress progress, Sleep sleep)
    : settings_(settings), progress_(std::move(progress)), sleep_(std::move(sleep)) {
    if (!sleep_)
        sleep_ = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
}

void ReplayDeliverer::addSink(const std::string& name, fp::sdk::Sink& sink) {
    const double rate = settings_.requestsPerSecond;
    sinks_.insert_or_assign(name, SinkState{&sink, RateLimiter(rate, std::max(1.0, rate)), ""});
}

void ReplayDeliverer::disableSink(const std::string& name, const std::string& why) {
    auto it = sinks_.find(name);
    if (it == sinks_.end()) {
        sinks_.insert_or_assign(name, SinkState{nullptr, RateLimiter(1, 1), why});
    } else {
        it->second.disabled = why;
    }
}

ReplayDeliverer::Outcome ReplayDeliverer::deliver(const std::string& sinkName,
                                                  const std::string& resultId,
                                                  const std::string& record) {
    Outcome outcome;
    auto it = sinks_.find(sinkName);
    if (it == sinks_.end() || it->second.sink == nullptr) {
        outcome.detail = it == sinks_.end() ? "sink " + sinkName + " is not configured"
                                            : "not tried: " + it->second.disabled;
        return outcome;
    }
    SinkState& state = it->second;
    if (!state.disabled.empty()) {
        outcome.detail = "not tried: " + state.disabled;
        return outcome;
    }
    const auto maxAttempts = static_cast<std::uint32_t>(std::max(1, settings_.maxAttempts));
    while (true) {
        const auto pace = state.limiter.reserve();
        if (pace > std::chrono::steady_clock::duration::zero())
            sleep_(std::chrono::ceil<std::chrono::milliseconds>(pace));
        ++outcome.attempts;
        // The sink is guarded (plugins/guarded_sink.cpp): a throw comes back as `paused`.
        const fp::sdk::DeliveryResult result = state.sink->deliver(resultId, record);
        if (result.outcome == DeliveryOutcome::delivered) {
            outcome.delivered = true;
            outcome.detail = result.reason;
            return outcome;
        }
        outcome.detail = result.reason;
        if (result.outcome == DeliveryOutcome::failed)
            return outcome;
        if (outcome.attempts >= maxAttempts) {
            if (result.outcome == DeliveryOutcome::paused) {
                // Nothing else would get through either: the sink's other results are not
                // tried, and say why.
                state.disabled = "sink " + sinkName + " stayed paused: " + result.reason;
            }
            outcome.detail =
                "gave up after " + std::to_string(outcome.attempts) + " attempts: " + result.reason;
            return outcome;
        }
        const auto delay = result.retryAfter.count() > 0
                               ? result.retryAfter
                               : OutboxWorker::backoff(outcome.attempts, settings_.initialBackoffMs,
                                                       settings_.maxBackoffMs, randomJitter());
        if (progress_) {
            progress_("attempt " + std::to_string(outcome.attempts + 1) + " of " + resultId +
                      " to " + sinkName + " in " + seconds(delay) + ": " + result.reason);
        }
        sleep_(delay);
    }
}

}  // namespace fp::delivery
