// The server instances storage reports alive, as room maintenance last read them: nullopt
// while unknown (storage unreadable, or presence just regained: see RoomMaintenance). The
// room service puts it in every RuleContext. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fp::service {

class LiveInstances {
  public:
    void set(std::optional<std::vector<std::string>> live) {
        std::lock_guard<std::mutex> lock(mutex_);
        live_ = std::move(live);
    }
    std::optional<std::vector<std::string>> get() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return live_;
    }

  private:
    mutable std::mutex mutex_;
    std::optional<std::vector<std::string>> live_;
};

}  // namespace fp::service
