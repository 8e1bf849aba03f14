#include "request_pacer.hpp"

#include <algorithm>
#include <thread>

namespace fp::sinks {

RequestPacer::RequestPacer(double perSecond, double burst)
    : perSecond_(std::max(perSecond, 0.001)),
      burst_(std::max(burst, 1.0)),
      tokens_(burst_),
      last_(Clock::now()) {}

RequestPacer::Clock::duration RequestPacer::peekWait() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    const double tokens =
        std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * perSecond_);
    if (tokens >= 1.0)
        return Clock::duration::zero();
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>((1.0 - tokens) / perSecond_));
}

bool RequestPacer::acquire(const std::atomic<bool>* abortFlag) {
    Clock::time_point due;
    {
        // Reserve the token now (the balance may go negative), then wait for its time, so
        // concurrent callers queue up in order instead of racing.
        std::lock_guard<std::mutex> lock(mutex_);
        const auto now = Clock::now();
        tokens_ = std::min(
            burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * perSecond_);
        last_ = now;
        tokens_ -= 1.0;
        if (tokens_ >= 0.0)
            return true;
        due = now + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(-tokens_ / perSecond_));
    }
    while (Clock::now() < due) {
        if (abortFlag != nullptr && abortFlag->load()) {
            std::lock_guard<std::mutex> lock(mutex_);
            tokens_ += 1.0;  // give the reserved token back
            return false;
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(50)));
    }
    return true;
}

}  // namespace fp::sinks
