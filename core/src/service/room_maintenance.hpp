// Background work on rooms, on one thread: a sweep when a room has something due (DueRooms:
// a timer running out, an offline participant's grace period ending), a periodic sweep of
// every room with local connections (to notice dead instances), this instance's presence
// heartbeat and the live-instance list the rules use, and the retries of resyncs and
// disconnects that storage refused. Sweeps run on the rooms' lanes.
#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "firepoker/sdk/storage.hpp"
#include "service/command_lanes.hpp"
#include "service/disconnect_retry.hpp"
#include "service/due_rooms.hpp"
#include "service/live_instances.hpp"
#include "service/room_fanout.hpp"
#include "service/room_resync.hpp"
#include "service/room_service.hpp"

namespace fp::service {

struct MaintenanceSettings {
    std::string instanceId;
    std::chrono::seconds heartbeatInterval{10};
    std::chrono::seconds instanceTtl{30};
    std::chrono::seconds sweepInterval{5};
};

struct MaintenanceLinks {
    RoomService& rooms;
    RoomFanout& fanout;  // which rooms are local
    CommandLanes& lanes;
    fp::sdk::Storage& storage;  // heartbeat and live instances
    DueRooms& dueRooms;
    LiveInstances& liveInstances;
    RoomResync& resync;
    DisconnectRetry& disconnectRetry;
};

class RoomMaintenance {
  public:
    RoomMaintenance(MaintenanceLinks links, MaintenanceSettings settings,
                    std::shared_ptr<spdlog::logger> logger);
    ~RoomMaintenance();

    // Registers this instance before the first connection, so rules never see it as dead.
    void heartbeatNow();
    void start();
    void stop();  // idempotent

  private:
    void run();
    void refreshLiveInstances();
    void sweep(const std::string& roomId);

    MaintenanceLinks links_;
    MaintenanceSettings settings_;
    std::shared_ptr<spdlog::logger> logger_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    // Since when storage has answered liveInstances without a failure in between (this
    // thread, and heartbeatNow() before it starts).
    std::optional<std::chrono::steady_clock::time_point> livenessReadableSince_;
};

}  // namespace fp::service
