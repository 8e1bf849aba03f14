// What this instance knows of the versions of the rooms it serves: the newest version its
// fan-out has seen (from the bus, or a resync), and when this instance committed the versions
// still on their way to the fan-out. The room service writes commits and reads what was seen
// (to know whether its own last commit is still the room's newest); the fan-out writes what it
// saw and reads commit times (fp_fanout_latency_seconds). Neither calls the other.
//
// Only rooms with local interest are tracked (RoomInterest tracks and untracks them), so
// commits for rooms nobody here watches (a sweep of a room whose people left) leave nothing
// behind. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace fp::service {

class RoomVersions {
  public:
    using Clock = std::chrono::steady_clock;

    void track(const std::string& roomId);
    void untrack(const std::string& roomId);

    // This instance committed `version` of the room at `at`.
    void committed(const std::string& roomId, std::uint64_t version, Clock::time_point at);
    // The fan-out saw `version`; returns when this instance committed it, if it did. Older
    // versions than the newest seen change nothing.
    std::optional<Clock::time_point> seen(const std::string& roomId, std::uint64_t version);
    // The newest version seen; 0 for a room not tracked or not seen yet.
    std::uint64_t latestSeen(const std::string& roomId) const;
    // The room started over (storage lost it): forget what was seen, keep tracking.
    void restart(const std::string& roomId);

  private:
    struct Entry {
        int tracks = 0;
        std::uint64_t latestSeen = 0;
        // Commits not seen yet, oldest first; a handful at most (one per command in flight).
        std::vector<std::pair<std::uint64_t, Clock::time_point>> pending;
    };
    // Bounds `pending` when the bus loses states (they are then never seen).
    static constexpr std::size_t kMaxPending = 64;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> rooms_;
};

}  // namespace fp::service
