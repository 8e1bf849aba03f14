#include "service/room_quota.hpp"

namespace fp::service {

bool RoomQuota::enter(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = connectionsByRoom_.find(roomId);
    if (it != connectionsByRoom_.end()) {
        ++it->second;
        return true;
    }
    if (connectionsByRoom_.size() >= maxRooms_)
        return false;
    connectionsByRoom_.emplace(roomId, 1);
    return true;
}

void RoomQuota::leave(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = connectionsByRoom_.find(roomId);
    if (it == connectionsByRoom_.end())
        return;
    if (--it->second == 0)
        connectionsByRoom_.erase(it);
}

std::size_t RoomQuota::rooms() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return connectionsByRoom_.size();
}

}  // namespace fp::service
