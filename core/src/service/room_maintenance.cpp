#include "service/room_maintenance.hpp"

#include <algorithm>
#include <functional>

#include "util/clock.hpp"

namespace fp::service {

RoomMaintenance::RoomMaintenance(RoomService& rooms, RoomFanout& fanout, KeyedWorkerPool& workers,
                                 fp::sdk::Storage& storage, MaintenanceSettings settings,
                                 std::shared_ptr<spdlog::logger> logger)
    : rooms_(rooms),
      fanout_(fanout),
      workers_(workers),
      storage_(storage),
      settings_(std::move(settings)),
      logger_(std::move(logger)) {}

RoomMaintenance::~RoomMaintenance() {
    stop();
}

void RoomMaintenance::heartbeatNow() {
    auto status = storage_.heartbeat(settings_.instanceId, settings_.instanceTtl);
    if (!status.ok())
        logger_->warn("presence heartbeat failed: {}", status.message);
    refreshLiveInstances();
}

void RoomMaintenance::refreshLiveInstances() {
    const auto now = std::chrono::steady_clock::now();
    auto live = storage_.liveInstances();
    const auto& ids = live.liveInstanceIds;
    // This instance heartbeats regularly, so its own absence means presence was wiped (a
    // Redis that restarted empty) or it fell behind: it heartbeats at once and starts over.
    const bool presenceLost =
        live.status.ok() && std::find(ids.begin(), ids.end(), settings_.instanceId) == ids.end();
    if (presenceLost) {
        auto status = storage_.heartbeat(settings_.instanceId, settings_.instanceTtl);
        if (!status.ok())
            logger_->warn("presence heartbeat failed: {}", status.message);
    }
    std::lock_guard<std::mutex> lock(livenessMutex_);
    if (!live.status.ok()) {
        // Unknown: the rules then leave other instances' connections alone.
        livenessReadableSince_.reset();
        rooms_.setLiveInstances(std::nullopt);
        return;
    }
    // Presence that was just (re)gained may be incomplete: a Redis that restarted empty, or
    // this instance just started, has not yet seen every live instance's heartbeat. Nobody is
    // taken for dead until the list has been readable for a whole instance TTL.
    if (!livenessReadableSince_ || presenceLost)
        livenessReadableSince_ = now;
    if (now - *livenessReadableSince_ < settings_.instanceTtl) {
        rooms_.setLiveInstances(std::nullopt);
        return;
    }
    rooms_.setLiveInstances(live.liveInstanceIds);
}

void RoomMaintenance::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void RoomMaintenance::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void RoomMaintenance::scheduleSweep(const std::string& roomId, std::int64_t dueUnixMs) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        // One pending entry per room and time is enough.
        auto range = due_.equal_range(dueUnixMs);
        for (auto it = range.first; it != range.second; ++it) {
            if (it->second == roomId)
                return;
        }
        due_.emplace(dueUnixMs, roomId);
    }
    wake_.notify_all();
}

void RoomMaintenance::setPeriodicTask(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    periodicTask_ = std::move(task);
}

void RoomMaintenance::sweep(const std::string& roomId) {
    workers_.post(std::hash<std::string>{}(roomId), [this, roomId] {
        room::Command command;
        command.type = "sweep";
        try {
            auto result = rooms_.execute(roomId, command);
            if (!result.errorCode.empty()) {
                logger_->warn("room {}: sweep failed: {} {}", roomId, result.errorCode,
                              result.errorMessage);
            }
        } catch (const std::exception& e) {
            logger_->error("room {}: sweep failed: {}", roomId, e.what());
        }
    });
}

void RoomMaintenance::run() {
    using Clock = std::chrono::steady_clock;
    // The periodic pass goes to the workers in batches, a few milliseconds apart: all rooms at
    // once queued a thousand sweeps in front of the clients' votes every sweepInterval, which
    // was the steady benchmark's p99 (docs/performance.md).
    constexpr std::size_t kPeriodicBatch = 50;
    constexpr auto kPeriodicBatchGap = std::chrono::milliseconds(25);
    auto nextHeartbeat = Clock::now() + settings_.heartbeatInterval;
    auto nextPeriodicSweep = Clock::now() + settings_.sweepInterval;
    std::vector<std::string> periodicRooms;  // of the current pass, not swept yet
    auto nextBatchAt = Clock::time_point::max();
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        auto wakeAt = std::min({nextHeartbeat, nextPeriodicSweep, nextBatchAt});
        if (!due_.empty()) {
            auto untilDue = std::chrono::milliseconds(due_.begin()->first - util::nowUnixMs());
            wakeAt =
                std::min(wakeAt, Clock::now() + std::max(untilDue, std::chrono::milliseconds(0)));
        }
        wake_.wait_until(lock, wakeAt);
        if (stopping_)
            break;

        std::vector<std::string> dueRooms;
        const auto nowMs = util::nowUnixMs();
        while (!due_.empty() && due_.begin()->first <= nowMs) {
            dueRooms.push_back(due_.begin()->second);
            due_.erase(due_.begin());
        }
        const bool heartbeatDue = Clock::now() >= nextHeartbeat;
        const bool periodicDue = Clock::now() >= nextPeriodicSweep;
        const bool batchDue = periodicDue || Clock::now() >= nextBatchAt;
        const auto periodicTask = periodicDue ? periodicTask_ : std::function<void()>();
        lock.unlock();

        if (heartbeatDue) {
            heartbeatNow();
            nextHeartbeat = Clock::now() + settings_.heartbeatInterval;
        } else if (!dueRooms.empty() || periodicDue || batchDue) {
            // A sweep drops connections of instances missing from the list: it must not use
            // one older than an instance that started meanwhile.
            refreshLiveInstances();
        }
        for (const auto& roomId : dueRooms)
            sweep(roomId);
        if (periodicDue) {
            fanout_.retryPendingResyncs();
            if (periodicTask)
                periodicTask();
            // A pass still unfinished is replaced: the new one holds its rooms too.
            const auto rooms = fanout_.localRooms();
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
        lock.lock();
    }
}

}  // namespace fp::service
