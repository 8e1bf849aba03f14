// Background work on rooms: a sweep when a room has something due (a timer running out, an
// offline participant's grace period ending), a periodic sweep of every room with local
// connections (to notice dead instances), and this instance's presence heartbeat.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "firepoker/sdk/storage.hpp"
#include "service/keyed_worker_pool.hpp"
#include "service/room_fanout.hpp"
#include "service/room_service.hpp"

namespace fp::service {

struct MaintenanceSettings {
    std::string instanceId;
    std::chrono::seconds heartbeatInterval{10};
    std::chrono::seconds instanceTtl{30};
    std::chrono::seconds sweepInterval{5};
};

class RoomMaintenance {
  public:
    RoomMaintenance(RoomService& rooms, RoomFanout& fanout, KeyedWorkerPool& workers,
                    fp::sdk::Storage& storage, MaintenanceSettings settings,
                    std::shared_ptr<spdlog::logger> logger);
    ~RoomMaintenance();

    // Registers this instance before the first connection, so rules never see it as dead.
    void heartbeatNow();
    void start();
    void stop();
    void scheduleSweep(const std::string& roomId, std::int64_t dueUnixMs);
    // Work that runs with every periodic sweep on the maintenance thread (it should only queue
    // work elsewhere): the gateway's retry of disconnects storage refused. Any thread.
    void setPeriodicTask(std::function<void()> task);

  private:
    void run();
    void refreshLiveInstances();
    void sweep(const std::string& roomId);

    RoomService& rooms_;
    RoomFanout& fanout_;
    KeyedWorkerPool& workers_;
    fp::sdk::Storage& storage_;
    MaintenanceSettings settings_;
    std::shared_ptr<spdlog::logger> logger_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::multimap<std::int64_t, std::string> due_;  // unix ms -> room
    bool stopping_ = false;
    std::thread thread_;
    std::function<void()> periodicTask_;  // under mutex_

    std::mutex livenessMutex_;
    // Since when storage has answered liveInstances without a failure in between.
    std::optional<std::chrono::steady_clock::time_point> livenessReadableSince_;
};

}  // namespace fp::service
