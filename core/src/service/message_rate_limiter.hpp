// Messages per second per connection: a token bucket. A client over its rate gets
// `rate_limited` for each message dropped; one that stays over it for `closeAfter` is closed
// (1008). A burst that stops is forgiven once the bucket has half refilled.
#pragma once

#include <chrono>

namespace fp::service {

class MessageRateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    enum class Verdict { admit, limit, close };

    MessageRateLimiter(double perSecond, double burst, Clock::duration closeAfter,
                       Clock::time_point now = Clock::now())
        : rate_(perSecond), burst_(burst), closeAfter_(closeAfter), tokens_(burst), last_(now) {}

    Verdict admit(Clock::time_point now) {
        tokens_ =
            std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
        last_ = now;
        if (overSince_ != Clock::time_point{} && tokens_ >= burst_ / 2)
            overSince_ = {};
        if (tokens_ >= 1.0) {
            tokens_ -= 1.0;
            return Verdict::admit;
        }
        if (overSince_ == Clock::time_point{})
            overSince_ = now;
        return now - overSince_ >= closeAfter_ ? Verdict::close : Verdict::limit;
    }

  private:
    double rate_;
    double burst_;
    Clock::duration closeAfter_;
    double tokens_;
    Clock::time_point last_;
    Clock::time_point overSince_{};
};

}  // namespace fp::service
