// After the bus may have lost states (a reconnect), every room with local connections is read
// again and its current state sent to them; a room storage lost is closed so its clients
// rejoin; a read that fails (storage not back yet) is tried again with the next periodic
// sweep, until it succeeds or the room has no local connection left.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "service/command_lanes.hpp"
#include "service/room_fanout.hpp"
#include "service/room_service.hpp"

namespace fp::service {

class RoomResync {
  public:
    RoomResync(RoomService& rooms, RoomFanout& fanout, CommandLanes& lanes,
               std::shared_ptr<spdlog::logger> logger);

    // Every local room, each on its room's lane (any thread; never waits).
    void resyncAll();
    // The rooms whose read failed last time (maintenance thread).
    void retryFailed();

  private:
    void resync(const std::string& roomId);

    RoomService& rooms_;
    RoomFanout& fanout_;
    CommandLanes& lanes_;
    std::shared_ptr<spdlog::logger> logger_;
    std::mutex mutex_;
    std::set<std::string> failed_;
};

}  // namespace fp::service
