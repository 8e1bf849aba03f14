#include "service/due_rooms.hpp"

#include <algorithm>

#include "util/clock.hpp"

namespace fp::service {

void DueRooms::schedule(const std::string& roomId, std::int64_t dueUnixMs) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto range = due_.equal_range(dueUnixMs);
        for (auto it = range.first; it != range.second; ++it) {
            if (it->second == roomId)
                return;
        }
        const bool earliest = due_.empty() || dueUnixMs < due_.begin()->first;
        due_.emplace(dueUnixMs, roomId);
        if (!earliest)
            return;
        notified_ = true;
    }
    changed_.notify_all();
}

std::vector<std::string> DueRooms::takeDue(std::int64_t nowUnixMs) {
    std::vector<std::string> rooms;
    std::lock_guard<std::mutex> lock(mutex_);
    while (!due_.empty() && due_.begin()->first <= nowUnixMs) {
        rooms.push_back(std::move(due_.begin()->second));
        due_.erase(due_.begin());
    }
    return rooms;
}

void DueRooms::waitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!due_.empty()) {
        const auto untilDue = std::chrono::milliseconds(
            std::max<std::int64_t>(0, due_.begin()->first - util::nowUnixMs()));
        deadline = std::min(deadline, std::chrono::steady_clock::now() + untilDue);
    }
    changed_.wait_until(lock, deadline, [this] { return notified_; });
    notified_ = false;
}

void DueRooms::notify() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        notified_ = true;
    }
    changed_.notify_all();
}

std::size_t DueRooms::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return due_.size();
}

}  // namespace fp::service
