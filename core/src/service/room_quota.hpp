// How many rooms this instance serves: rooms with at least one local joined connection. A
// distributed storage (Redis) has no limit of its own that would bound one instance, so the
// gateway asks here before a join makes a room local. Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace fp::service {

class RoomQuota {
  public:
    explicit RoomQuota(std::size_t maxRooms) : maxRooms_(maxRooms) {}

    // One more local connection in `roomId`. False (nothing counted) when the room is not
    // served here yet and maxRooms rooms already are.
    bool enter(const std::string& roomId);
    // A local connection of `roomId` is gone (after a successful enter()).
    void leave(const std::string& roomId);

    std::size_t rooms() const;
    std::size_t maxRooms() const { return maxRooms_; }

  private:
    const std::size_t maxRooms_;
    mutable std::mutex mutex_;
    std::map<std::string, std::size_t> connectionsByRoom_;
};

}  // namespace fp::service
