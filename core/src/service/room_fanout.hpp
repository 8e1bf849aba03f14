// Sends each room state to this instance's connections in that room: encoded once, the same
// bytes to every connection, and to each connection only versions newer than the last one it
// was sent (its welcome included), on one instance or many. It is the last step of a command's
// path: it hears states from the bus and writes to the transport; it never calls the room
// service.
#pragma once

#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "firepoker/sdk/transport.hpp"
#include "metrics/metrics_registry.hpp"
#include "service/local_presence.hpp"
#include "service/room_versions.hpp"

namespace fp::service {

class RoomFanout final : public LocalPresence {
  public:
    RoomFanout(fp::sdk::Transport& transport, RoomVersions& versions,
               metrics::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger);

    // The first local interest in a room arrived (before its join commits, so no state
    // after that commit is missed) / the last one left. See RoomInterest.
    void openRoom(const std::string& roomId);
    void closeRoom(const std::string& roomId);

    // Sends `welcome` and adds the connection to the room's audience in one step: the
    // connection's floor is the welcome's version, so a state of that version or older that
    // arrives later (the join itself, back over the bus) is not sent to it again; if a newer
    // state went out meanwhile, the connection gets that one right after its welcome.
    void addMember(const std::string& roomId, fp::sdk::ConnectionId connection,
                   const std::string& participantId, std::uint64_t welcomeVersion,
                   std::string welcome);
    void removeMember(const std::string& roomId, fp::sdk::ConnectionId connection);

    // A room's state, from the bus (every instance's commits) or a resync. Older versions
    // than the room's newest are dropped; a kick closes the kicked participant's connections.
    void deliver(const std::string& roomId, std::uint64_t version, const std::string& payload);

    // The room is gone from storage (e.g. Redis restarted empty): its connections are closed
    // with 1012 so the clients rejoin and resume their seats, and its versions start over.
    void closeLostRoom(const std::string& roomId);

    std::vector<std::string> localRooms() const;
    // LocalPresence
    std::map<std::string, int> connectionsByParticipant(const std::string& roomId) const override;

  private:
    struct Member {
        fp::sdk::ConnectionId connection;
        std::string participantId;
        std::uint64_t floor;  // the newest version this connection was sent
    };
    struct LocalRoom {
        std::mutex mutex;
        std::vector<Member> members;
        std::uint64_t lastVersion = 0;
        fp::sdk::SharedOutbound lastState;
    };

    std::shared_ptr<LocalRoom> find(const std::string& roomId) const;
    void closeKicked(LocalRoom& room, const std::string& payload);

    fp::sdk::Transport& transport_;
    RoomVersions& versions_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    mutable std::mutex roomsMutex_;  // the map only; never held across a call out
    std::unordered_map<std::string, std::shared_ptr<LocalRoom>> rooms_;
};

}  // namespace fp::service
