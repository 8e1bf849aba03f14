// Keeps a sink's own requests under a rate: a token bucket (average `perSecond`, bursts up
// to `burst`) that callers wait on. Thread-safe: deliveries and history reads share it.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

namespace fp::sinks {

class RequestPacer {
  public:
    using Clock = std::chrono::steady_clock;
    RequestPacer(double perSecond, double burst);

    // Takes one token, waiting for it when needed. Returns false (without a token) when
    // `abortFlag` is raised while waiting.
    bool acquire(const std::atomic<bool>* abortFlag = nullptr);
    // The wait acquire() would need now, without taking a token (for tests).
    Clock::duration peekWait();

  private:
    std::mutex mutex_;
    double perSecond_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace fp::sinks
