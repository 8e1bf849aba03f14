#include "service/room_maintenance.hpp"

#include <algorithm>
#include <vector>

#include "util/clock.hpp"

namespace fp::service {

RoomMaintenance::RoomMaintenance(MaintenanceLinks links, MaintenanceSettings settings,
                                 std::shared_ptr<spdlog::logger> logger)
    : links_(links), settings_(std::move(settings)), logger_(std::move(logger)) {}

RoomMaintenance::~RoomMaintenance() {
    stop();
}

void RoomMaintenance::heartbeatNow() {
    auto status = links_.storage.heartbeat(settings_.instanceId, settings_.instanceTtl);
    if (!status.ok())
        logger_->warn("presence heartbeat failed: {}", status.message);
    refreshLiveInstances();
}

void RoomMaintenance::refreshLiveInstances() {
    const auto now = std::chrono::steady_clock::now();
    auto live = links_.storage.liveInstances();
    const auto& ids = live.liveInstanceIds;
    // This instance heartbeats regularly, so its own absence means presence was wiped (a
    // Redis that restarted empty) or it fell behind: it heartbeats at once and starts over.
    const bool presenceLost =
        live.status.ok() && std::find(ids.begin(), ids.end(), settings_.instanceId) == ids.end();
    if (presenceLost) {
        auto status = links_.storage.heartbeat(settings_.instanceId, settings_.instanceTtl);
        if (!status.ok())
            logger_->warn("presence heartbeat failed: {}", status.message);
    }
    if (!live.status.ok()) {
        // Unknown: the rules then leave other instances' connections alone.
        livenessReadableSince_.reset();
        links_.liveInstances.set(std::nullopt);
        return;
    }
    // Presence that was just (re)gained may be incomplete: a Redis that restarted empty, or
    // this instance just started, has not yet seen every live instance's heartbeat. Nobody is
    // taken for dead until the list has been readable for a whole instance TTL.
    if (!livenessReadableSince_ || presenceLost)
        livenessReadableSince_ = now;
    if (now - *livenessReadableSince_ < settings_.instanceTtl) {
        links_.liveInstances.set(std::nullopt);
        return;
    }
    links_.liveInstances.set(live.liveInstanceIds);
}

void RoomMaintenance::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void RoomMaintenance::stop() {
    stopping_ = true;
    links_.dueRooms.notify();
    if (thread_.joinable())
        thread_.join();
}

void RoomMaintenance::sweep(const std::string& roomId) {
    links_.lanes.postForRoom(roomId, [this, roomId] {
        room::Command command;
        command.kind = room::CommandKind::sweep;
        try {
            auto result = links_.rooms.execute(roomId, command);
            if (!result.ok()) {
                logger_->warn("room {}: sweep failed: {} {}", roomId, wireName(result.error),
                              result.errorMessage);
            }
        } catch (const std::exception& e) {
            logger_->error("room {}: sweep failed: {}", roomId, e.what());
        }
    });
}

void RoomMaintenance::run() {
    using Clock = std::chrono::steady_clock;
    // The periodic pass goes to the lanes in batches, a few milliseconds apart: all rooms at
    // once queued a thousand sweeps in front of the clients' votes every sweepInterval, which
    // was the steady benchmark's p99 (docs/performance.md).
    constexpr std::size_t kPeriodicBatch = 50;
    constexpr auto kPeriodicBatchGap = std::chrono::milliseconds(25);
    auto nextHeartbeat = Clock::now() + settings_.heartbeatInterval;
    auto nextPeriodicSweep = Clock::now() + settings_.sweepInterval;
    std::vector<std::string> periodicRooms;  // of the current pass, not swept yet
    auto nextBatchAt = Clock::time_point::max();
    while (!stopping_) {
        links_.dueRooms.waitUntil(std::min({nextHeartbeat, nextPeriodicSweep, nextBatchAt}));
        if (stopping_)
            break;
        const auto dueRooms = links_.dueRooms.takeDue(util::nowUnixMs());
        const auto now = Clock::now();
        const bool heartbeatDue = now >= nextHeartbeat;
        const bool periodicDue = now >= nextPeriodicSweep;
        const bool batchDue = periodicDue || now >= nextBatchAt;

        if (heartbeatDue) {
            heartbeatNow();
            nextHeartbeat = Clock::now() + settings_.heartbeatInterval;
        } else if (!dueRooms.empty() || batchDue) {
            // A sweep drops connections of instances missing from the list: it must not use
            // one older than an instance that started meanwhile.
            refreshLiveInstances();
        }
        for (const auto& roomId : dueRooms)
            sweep(roomId);
        if (periodicDue) {
            links_.resync.retryFailed();
            links_.disconnectRetry.retryAll();
            // A pass still unfinished is replaced: the new one holds its rooms too.
            const auto rooms = links_.fanout.localRooms();
            periodicRooms.assign(rooms.rbegin(), rooms.rend());
            nextPeriodicSweep = Clock::now() + settings_.sweepInterval;
        }
        if (batchDue && !periodicRooms.empty()) {
            for (std::size_t n = 0; n < kPeriodicBatch && !periodicRooms.empty(); ++n) {
                sweep(periodicRooms.back());
                periodicRooms.pop_back();
            }
        }
        nextBatchAt =
            periodicRooms.empty() ? Clock::time_point::max() : Clock::now() + kPeriodicBatchGap;
    }
}

}  // namespace fp::service
