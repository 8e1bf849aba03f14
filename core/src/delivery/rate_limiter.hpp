// A token bucket: at most `ratePerSecond` on average, bursts up to `burst`.
#pragma once

#include <algorithm>
#include <chrono>

namespace fp::delivery {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double ratePerSecond, double burst)
        : rate_(ratePerSecond), burst_(burst), tokens_(burst), last_(Clock::now()) {}

    // How long to wait before one more request is allowed (zero = now); takes the token.
    Clock::duration reserve() {
        const auto now = Clock::now();
        tokens_ =
            std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
        last_ = now;
        tokens_ -= 1.0;
        if (tokens_ >= 0)
            return Clock::duration::zero();
        return std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(-tokens_ / rate_));
    }

  private:
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace fp::delivery
