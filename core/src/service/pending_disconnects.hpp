// Disconnects that storage refused (it was unavailable when the connection closed). Without a
// retry the participant would stay online in the stored room for good, counted as connected
// through this instance, which is alive. Kept here until room maintenance gets them through.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace fp::service {

struct PendingDisconnect {
    std::string roomId;
    std::string participantId;
    std::int64_t sinceUnixMs = 0;  // when the connection closed
};

class PendingDisconnects {
  public:
    // Beyond this many, the oldest are dropped (logged by the caller): a storage outage during
    // a mass disconnect must not grow memory without bound; the instance's own restart or the
    // participants' grace period clears what is dropped.
    static constexpr std::size_t kMaxPending = 100000;

    // Returns false if the oldest entry had to be dropped to make room.
    bool add(PendingDisconnect disconnect);
    // Takes every pending entry out (the caller puts back those that fail again).
    std::vector<PendingDisconnect> takeAll();
    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::deque<PendingDisconnect> pending_;
};

}  // namespace fp::service
