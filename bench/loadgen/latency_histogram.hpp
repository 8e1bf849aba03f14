// Fan-out latencies in microseconds: exact percentiles from the kept samples (a run keeps at
// most a few million, 8 bytes each).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace fp::bench {

class LatencySamples {
  public:
    void add(std::int64_t micros) { samples_.push_back(micros); }
    std::size_t count() const { return samples_.size(); }
    // q in [0, 1]; 0 with no samples.
    double percentileMs(double q) {
        if (samples_.empty())
            return 0;
        if (!sorted_) {
            std::sort(samples_.begin(), samples_.end());
            sorted_ = true;
        }
        auto index = static_cast<std::size_t>(q * static_cast<double>(samples_.size() - 1) + 0.5);
        return static_cast<double>(samples_[std::min(index, samples_.size() - 1)]) / 1000.0;
    }

  private:
    std::vector<std::int64_t> samples_;
    bool sorted_ = false;
};

}  // namespace fp::bench
