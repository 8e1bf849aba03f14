// Applies commands to rooms: load -> rules -> compare-and-swap (retrying on conflict), then
// publishes the new state once. Every instance may change any room; version grows by one. The
// first try may skip the load and start from this instance's own last commit (see execute).
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "delivery/result_log.hpp"
#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/storage.hpp"
#include "metrics/metrics_registry.hpp"
#include "room/room_model.hpp"
#include "room/room_rules.hpp"
#include "service/decoded_room_cache.hpp"
#include "service/room_fanout.hpp"

namespace fp::service {

struct RoomServiceSettings {
    std::string instanceId;
    int maxParticipantsPerRoom = 100;
    std::int64_t graceMs = 600000;
    std::chrono::seconds roomTtl{86400};
    std::vector<std::string> sinkNames;  // each finalize puts one outbox record per sink
    int maxConflictRetries = 64;
};

struct CommandResult {
    std::string errorCode;  // empty = success
    std::string errorMessage;
    bool changed = false;
    room::Room room;  // as committed (or as loaded, when nothing changed)
    std::string participantId;
};

// Supplies the history of a room missing from storage (from sinks that can read it back).
using HistoryRestorer = std::function<std::vector<room::HistoryEntry>(const std::string& roomId)>;
// Told when a room next has work due (timer, grace period), to schedule a sweep.
using DueNotifier = std::function<void(const std::string& roomId, std::int64_t dueUnixMs)>;

class RoomService {
  public:
    // `resultLog`: where each committed finalize is written whole (issue 15); outlives this.
    RoomService(fp::sdk::Storage& storage, fp::sdk::Bus& bus, RoomFanout& fanout,
                metrics::MetricsRegistry& metrics, RoomServiceSettings settings,
                std::shared_ptr<spdlog::logger> logger, const delivery::ResultLog& resultLog);

    void setHistoryRestorer(HistoryRestorer restorer) { restorer_ = std::move(restorer); }
    void setDueNotifier(DueNotifier notifier) { dueNotifier_ = std::move(notifier); }
    void setLiveInstances(std::optional<std::vector<std::string>> live);

    // `issue` carries a fresh participant id and token hash for a join that creates a seat.
    CommandResult execute(const std::string& roomId, const room::Command& command,
                          const room::RuleContext* issue = nullptr);

    // The stored room, for HTTP reads and resync. nullopt + errorCode "not_found" or
    // "unavailable".
    std::optional<room::Room> read(const std::string& roomId, std::string& errorCode);

    // Renders the `state` message for a room as committed.
    std::string renderState(const room::Room& room, const room::Command& cause) const;

  private:
    room::RuleContext baseContext(std::int64_t nowMs) const;
    room::Room roomForMissing(const std::string& roomId, std::int64_t nowMs);
    // The stored room, decoded (or the decoded copy of the text this instance committed).
    // errorCode: empty, "not_found", "unavailable" or "internal" (unreadable document).
    struct StoredRoom {
        std::string errorCode;
        std::shared_ptr<const room::Room> room;
    };
    StoredRoom loadStored(const std::string& roomId);
    // The room as this instance last committed it, if no newer version came over the bus.
    std::shared_ptr<const room::Room> latestCommitted(const std::string& roomId) const;

    fp::sdk::Storage& storage_;
    fp::sdk::Bus& bus_;
    RoomFanout& fanout_;
    metrics::MetricsRegistry& metrics_;
    RoomServiceSettings settings_;
    std::shared_ptr<spdlog::logger> logger_;
    const delivery::ResultLog& resultLog_;
    HistoryRestorer restorer_;
    DueNotifier dueNotifier_;
    mutable std::mutex liveMutex_;
    std::optional<std::vector<std::string>> liveInstances_;
    // Rooms as this instance last committed them: most commands skip the JSON parse.
    DecodedRoomCache decodedRooms_{std::size_t{32} << 20};
};

}  // namespace fp::service
