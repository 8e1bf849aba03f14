#include "service/room_versions.hpp"

#include <algorithm>

namespace fp::service {

void RoomVersions::track(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++rooms_[roomId].tracks;
}

void RoomVersions::untrack(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    if (it != rooms_.end() && --it->second.tracks <= 0)
        rooms_.erase(it);
}

void RoomVersions::committed(const std::string& roomId, std::uint64_t version,
                             Clock::time_point at) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end() || version <= it->second.latestSeen)
        return;
    auto& pending = it->second.pending;
    if (pending.size() >= kMaxPending)
        pending.erase(pending.begin());
    pending.emplace_back(version, at);
}

std::optional<RoomVersions::Clock::time_point> RoomVersions::seen(const std::string& roomId,
                                                                  std::uint64_t version) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end())
        return std::nullopt;
    Entry& entry = it->second;
    entry.latestSeen = std::max(entry.latestSeen, version);
    std::optional<Clock::time_point> committedAt;
    auto& pending = entry.pending;
    auto kept = pending.begin();
    for (auto& commit : pending) {
        if (commit.first == version)
            committedAt = commit.second;
        else if (commit.first > entry.latestSeen)
            *kept++ = commit;
    }
    pending.erase(kept, pending.end());
    return committedAt;
}

std::uint64_t RoomVersions::latestSeen(const std::string& roomId) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    return it == rooms_.end() ? 0 : it->second.latestSeen;
}

void RoomVersions::restart(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end())
        return;
    it->second.latestSeen = 0;
    it->second.pending.clear();
}

}  // namespace fp::service
