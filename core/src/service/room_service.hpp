// Applies commands to rooms, in one direction: load (or take this instance's own last commit)
// -> rules -> render -> compare-and-swap -> publish. Every instance may change any room; the
// version grows by exactly one per change; a conflict reloads and applies the rules again.
// The service never calls the fan-out: it publishes on the bus, notes its commits in
// RoomVersions, and reads what the fan-out saw there.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/storage.hpp"
#include "metrics/metrics_registry.hpp"
#include "room/room_model.hpp"
#include "room/room_rules.hpp"
#include "service/decoded_room_cache.hpp"
#include "service/due_rooms.hpp"
#include "service/live_instances.hpp"
#include "service/local_presence.hpp"
#include "service/room_versions.hpp"

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
    room::ErrorCode error = room::ErrorCode::none;
    std::string errorMessage;
    bool changed = false;
    std::shared_ptr<const room::Room> room;  // as committed (or as loaded, when unchanged)
    // When changed: the committed version with its public state as sent (the `room` of its
    // `state` message, which a join's welcome repeats).
    std::shared_ptr<const CachedRoom> committed;
    std::string participantId;  // join: the seat taken

    bool ok() const { return error == room::ErrorCode::none; }
};

enum class ReadStatus { found, notFound, unavailable, unreadable };

struct RoomRead {
    ReadStatus status = ReadStatus::notFound;
    std::shared_ptr<const room::Room> room;     // when found
    std::shared_ptr<const CachedRoom> written;  // when this instance wrote that very text
};

// A committed result, for the durable result log (written at the commit of a finalize).
struct CommittedResult {
    const std::string& roomId;
    const std::string& resultId;
    const std::string& record;  // the sink record (JSON)
    const std::vector<std::string>& sinks;
};

// Everything the service reads or writes besides storage and bus: shared objects, no cycles.
struct RoomServiceLinks {
    RoomVersions& versions;              // commits in, what the fan-out saw out
    const LocalPresence& localPresence;  // the sweep's presence repair
    DueRooms& dueRooms;                  // when each room next has work due
    const LiveInstances& liveInstances;  // instances alive, for the rules
    // The history of a room missing from storage, from the sinks that can read it back.
    std::function<std::vector<room::HistoryEntry>(const std::string& roomId)> restoreHistory;
    // Told after every committed finalize (the durable result log); may be empty.
    std::function<void(const CommittedResult&)> resultCommitted;
};

class RoomService {
  public:
    RoomService(fp::sdk::Storage& storage, fp::sdk::Bus& bus, RoomServiceLinks links,
                metrics::MetricsRegistry& metrics, RoomServiceSettings settings,
                std::shared_ptr<spdlog::logger> logger);

    // Applies a command, then the follow-ups the rules ask for (auto-reveal), each as the
    // server's own. `seat` carries a fresh participant id and token hash for a join that
    // creates one. The result is the command's own.
    CommandResult execute(const std::string& roomId, const room::Command& command,
                          const room::RuleContext* seat = nullptr);

    // The stored room, for HTTP reads, resync and presence repair.
    RoomRead read(const std::string& roomId);

    // True when this instance holds the room as last committed and nothing newer was seen: a
    // command on it then needs no load, and no history restore (the room exists).
    bool holdsCurrentCopy(const std::string& roomId) const;

  private:
    struct Base {
        room::ErrorCode error = room::ErrorCode::none;
        std::string errorMessage;
        std::shared_ptr<const room::Room> room;
        // The same version as this instance wrote it, when it did: its pieces are reused.
        std::shared_ptr<const CachedRoom> written;
        std::uint64_t expectedVersion = 0;  // 0: the room does not exist yet
        bool unverified = false;            // this instance's own last commit, not loaded
    };
    enum class CommitStatus { committed, conflict, unavailable };

    CommandResult executeOne(const std::string& roomId, const room::Command& command,
                             const room::RuleContext* seat,
                             std::vector<room::CommandKind>& followUps);
    Base startingPoint(const std::string& roomId, const room::Command& command,
                       bool mayUseOwnCommit, std::int64_t nowMs);
    room::RuleContext contextFor(const std::string& roomId, const room::Command& command,
                                 const room::RuleContext* seat, std::int64_t nowMs) const;
    CommitStatus commit(const std::string& roomId, const room::Command& command, const Base& base,
                        room::Outcome& outcome, const room::RuleContext& context,
                        CommandResult& result);
    void scheduleDue(const std::string& roomId, const room::Room& room,
                     const room::RuleContext& context);
    RoomRead loadStored(const std::string& roomId);
    std::shared_ptr<const CachedRoom> ownCurrentCommit(const std::string& roomId) const;
    void pauseAfterConflict(int conflicts) const;

    fp::sdk::Storage& storage_;
    fp::sdk::Bus& bus_;
    RoomServiceLinks links_;
    metrics::MetricsRegistry& metrics_;
    RoomServiceSettings settings_;
    std::shared_ptr<spdlog::logger> logger_;
    // Rooms as this instance last committed them: most commands skip the JSON parse.
    DecodedRoomCache decodedRooms_{std::size_t{32} << 20};
};

}  // namespace fp::service
