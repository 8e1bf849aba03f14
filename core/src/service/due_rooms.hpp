// When rooms next have work due (a timer running out, an offline participant's grace period
// ending): the room service writes here after each command, room maintenance waits on it and
// sweeps what is due. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fp::service {

class DueRooms {
  public:
    // One entry per room and time; an earlier time than the one waited for wakes the waiter.
    void schedule(const std::string& roomId, std::int64_t dueUnixMs);
    // Takes every room due at or before `nowUnixMs`.
    std::vector<std::string> takeDue(std::int64_t nowUnixMs);
    // Waits until `deadline`, the earliest due time, or notify(), whichever comes first. The
    // earliest due time is read as unix ms against `nowUnixMs()` of the caller's clock.
    void waitUntil(std::chrono::steady_clock::time_point deadline);
    // Wakes a waiter (to stop).
    void notify();
    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<std::int64_t, std::string> due_;  // unix ms -> room
    bool notified_ = false;
};

}  // namespace fp::service
