#include "reconnect_gate.hpp"

#include <random>

namespace fp::plugins::redis {

ReconnectGate::ReconnectGate(std::chrono::milliseconds minimum, std::chrono::milliseconds maximum)
    : minimum_(minimum), maximum_(maximum) {}

std::string ReconnectGate::describeLocked(Clock::time_point now) const {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - since_).count();
    return reason_ + " (unavailable for " + std::to_string(ms) + " ms)";
}

bool ReconnectGate::mayAttempt(std::string& why) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!down_)
        return true;
    const auto now = Clock::now();
    if (now >= nextAttempt_) {
        nextAttempt_ = now + backoff_;
        return true;
    }
    why = describeLocked(now);
    return false;
}

void ReconnectGate::succeeded() {
    std::lock_guard<std::mutex> lock(mutex_);
    down_ = false;
    backoff_ = std::chrono::milliseconds(0);
}

void ReconnectGate::failed(const std::string& reason) {
    thread_local std::mt19937 engine(std::random_device{}());
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    if (!down_) {
        down_ = true;
        since_ = now;
        backoff_ = minimum_;
    } else {
        backoff_ = std::min(maximum_, backoff_ * 2);
    }
    reason_ = reason;
    nextAttempt_ = now + std::chrono::milliseconds(
                             static_cast<std::int64_t>(backoff_.count() * jitter(engine)));
}

bool ReconnectGate::down() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return down_;
}

fp::sdk::Readiness ReconnectGate::readiness() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!down_)
        return {};
    return {false, describeLocked(Clock::now())};
}

}  // namespace fp::plugins::redis
