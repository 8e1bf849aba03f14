// Sends each room state to this instance's connections in that room: encoded once, the same
// bytes to every connection, never an older version after a newer one.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/transport.hpp"
#include "metrics/metrics_registry.hpp"

namespace fp::service {

class RoomFanout final : public fp::sdk::BusListener {
  public:
    RoomFanout(fp::sdk::Transport& transport, fp::sdk::Bus& bus, metrics::MetricsRegistry& metrics,
               std::shared_ptr<spdlog::logger> logger);

    // Interest in a room: the first holder subscribes the bus, the last one unsubscribes.
    // Taken before a join commits, so no state published after the commit is missed.
    fp::sdk::Status acquire(const std::string& roomId);
    void release(const std::string& roomId);

    // Sends `welcome` and adds the connection to the room's audience in one step; if a newer
    // state than the welcome's went out meanwhile, the connection gets that state too.
    void addMember(const std::string& roomId, fp::sdk::ConnectionId connection,
                   const std::string& participantId, std::uint64_t welcomeVersion,
                   const std::string& welcomePayload);
    void removeMember(const std::string& roomId, fp::sdk::ConnectionId connection);

    // The room service notes when it committed a version, for fp_fanout_latency_seconds.
    void noteCommitted(const std::string& roomId, std::uint64_t version,
                       std::chrono::steady_clock::time_point when);

    // Sends one message to one connection (answers, errors).
    void sendTo(fp::sdk::ConnectionId connection, std::string payload);
    void closeConnection(fp::sdk::ConnectionId connection, std::uint16_t code,
                         const std::string& reason);

    std::vector<std::string> localRooms() const;
    // This instance's connections in the room, per participant id (for the sweep's repair).
    std::map<std::string, int> localParticipantCounts(const std::string& roomId) const;
    // The newest version of the room sent to its local connections (0 when none here).
    std::uint64_t latestVersion(const std::string& roomId) const;
    // The room is gone from storage (e.g. Redis restarted empty): close its connections with
    // 1012 so the clients rejoin and resume their seats, and forget the versions sent.
    void closeLostRoom(const std::string& roomId);
    // A resync whose reload failed (storage not reachable yet) is tried again by the next
    // periodic sweep, until it succeeds or the room has no local connection left.
    void retryResyncLater(const std::string& roomId);
    void retryPendingResyncs();

    // BusListener
    void onRoomState(const std::string& roomId, std::uint64_t version,
                     const std::string& payload) override;
    void onResync() override;
    // Called on resync to reload a room and send its current state (set by the app).
    void setResyncHandler(std::function<void(const std::string& roomId)> handler);

  private:
    struct Member {
        fp::sdk::ConnectionId connection;
        std::string participantId;
    };
    struct LocalRoom {
        std::mutex mutex;
        int interest = 0;
        std::vector<Member> members;
        std::uint64_t lastVersion = 0;
        fp::sdk::SharedOutbound lastState;
        std::map<std::uint64_t, std::chrono::steady_clock::time_point> commitTimes;
    };

    std::shared_ptr<LocalRoom> find(const std::string& roomId) const;
    void closeKicked(LocalRoom& room, const std::string& payload);

    fp::sdk::Transport& transport_;
    fp::sdk::Bus& bus_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    mutable std::mutex roomsMutex_;
    std::map<std::string, std::shared_ptr<LocalRoom>> rooms_;
    std::function<void(const std::string&)> resyncHandler_;
    std::set<std::string> resyncRetries_;
};

}  // namespace fp::service
