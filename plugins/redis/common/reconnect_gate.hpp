// Whether Redis is reachable, and when the next connect may be tried: while it is down,
// callers fail at once instead of each waiting out a connect timeout; attempts back off
// exponentially (with jitter) between reconnectMinMs and reconnectMaxMs.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "firepoker/sdk/status.hpp"

namespace fp::plugins::redis {

class ReconnectGate {
  public:
    using Clock = std::chrono::steady_clock;
    ReconnectGate(std::chrono::milliseconds minimum, std::chrono::milliseconds maximum);

    // May this caller try to connect now? When not, `why` says since when and why Redis is
    // unreachable. A granted attempt holds off other attempts until it reports.
    bool mayAttempt(std::string& why);
    void succeeded();
    void failed(const std::string& reason);

    bool down() const;
    // Ready, or not with the reason and how long it has lasted.
    fp::sdk::Readiness readiness() const;

  private:
    std::string describeLocked(Clock::time_point now) const;

    const std::chrono::milliseconds minimum_;
    const std::chrono::milliseconds maximum_;
    mutable std::mutex mutex_;
    bool down_ = false;
    std::string reason_;
    Clock::time_point since_{};
    Clock::time_point nextAttempt_{};
    std::chrono::milliseconds backoff_{0};
};

}  // namespace fp::plugins::redis
