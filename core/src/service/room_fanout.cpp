#include "service/room_fanout.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstring>

namespace fp::service {

RoomFanout::RoomFanout(fp::sdk::Transport& transport, RoomVersions& versions,
                       metrics::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger)
    : transport_(transport), versions_(versions), metrics_(metrics), logger_(std::move(logger)) {}

std::shared_ptr<RoomFanout::LocalRoom> RoomFanout::find(const std::string& roomId) const {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto it = rooms_.find(roomId);
    return it == rooms_.end() ? nullptr : it->second;
}

void RoomFanout::openRoom(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto& room = rooms_[roomId];
    if (!room)
        room = std::make_shared<LocalRoom>();
    metrics_.roomsWithLocalConnections.store(static_cast<std::int64_t>(rooms_.size()));
}

void RoomFanout::closeRoom(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    rooms_.erase(roomId);
    metrics_.roomsWithLocalConnections.store(static_cast<std::int64_t>(rooms_.size()));
}

void RoomFanout::addMember(const std::string& roomId, fp::sdk::ConnectionId connection,
                           const std::string& participantId, std::uint64_t welcomeVersion,
                           std::string welcome) {
    auto encoded = transport_.prepare(std::move(welcome));
    auto room = find(roomId);
    if (!room) {
        // The join took interest first, so this does not happen; the welcome goes out anyway.
        logger_->error("room {}: connection {} joined a room with no local interest", roomId,
                       connection);
        transport_.send(connection, encoded);
        metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::lock_guard<std::mutex> lock(room->mutex);
    transport_.send(connection, encoded);
    std::uint64_t floor = welcomeVersion;
    if (room->lastVersion > welcomeVersion && room->lastState) {
        transport_.send(connection, room->lastState);
        floor = room->lastVersion;
        metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
    }
    metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
    room->members.push_back({connection, participantId, floor});
}

void RoomFanout::removeMember(const std::string& roomId, fp::sdk::ConnectionId connection) {
    auto room = find(roomId);
    if (!room)
        return;
    std::lock_guard<std::mutex> lock(room->mutex);
    auto& members = room->members;
    members.erase(
        std::remove_if(members.begin(), members.end(),
                       [connection](const Member& m) { return m.connection == connection; }),
        members.end());
}

void RoomFanout::deliver(const std::string& roomId, std::uint64_t version,
                         const std::string& payload) {
    auto room = find(roomId);
    if (!room)
        return;
    // Encoded once, outside the room's lock; the same bytes go to every connection.
    auto encoded = transport_.prepare(payload);
    std::lock_guard<std::mutex> lock(room->mutex);
    if (version <= room->lastVersion)
        return;  // an older state arriving late
    room->lastVersion = version;
    room->lastState = encoded;
    std::uint64_t sent = 0;
    for (auto& member : room->members) {
        if (version <= member.floor)
            continue;  // its welcome already showed this version
        transport_.send(member.connection, encoded);
        member.floor = version;
        ++sent;
    }
    metrics_.messagesSent.fetch_add(sent, std::memory_order_relaxed);
    if (auto committedAt = versions_.seen(roomId, version)) {
        std::chrono::duration<double> elapsed = RoomVersions::Clock::now() - *committedAt;
        metrics_.fanoutLatency.observe(elapsed.count());
    }
    // Only a kick removes a participant that still has connections. The cause comes first in
    // the message and ends with its type (keys sorted), so a look at the first bytes spares a
    // parse of every other state (a search of the whole state was a tenth of a vote's work).
    constexpr std::string_view kKickCause = "kick\"},\"room\":";  // rare first byte: fast
    const std::size_t head = std::min<std::size_t>(payload.size(), 512);
    if (::memmem(payload.data(), head, kKickCause.data(), kKickCause.size()) != nullptr)
        closeKicked(*room, payload);
}

void RoomFanout::closeKicked(LocalRoom& room, const std::string& payload) {
    std::string target;
    try {
        Poco::JSON::Parser parser;
        auto message = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
        auto cause = message->getObject("cause");
        if (!cause || cause->optValue<std::string>("type", "") != "kick")
            return;
        target = cause->optValue<std::string>("target", "");
    } catch (const std::exception& e) {
        logger_->error("cannot read the cause of a kick state: {}", e.what());
        return;
    }
    if (target.empty())
        return;
    auto kicked = transport_.prepare(R"({"type":"kicked"})");
    auto& members = room.members;
    for (auto it = members.begin(); it != members.end();) {
        if (it->participantId == target) {
            transport_.send(it->connection, kicked);
            transport_.close(it->connection, fp::sdk::closecode::kicked, "kicked");
            metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
            it = members.erase(it);
        } else {
            ++it;
        }
    }
}

void RoomFanout::closeLostRoom(const std::string& roomId) {
    auto room = find(roomId);
    if (!room)
        return;
    std::lock_guard<std::mutex> lock(room->mutex);
    if (!room->members.empty()) {
        logger_->warn(
            "room {} is no longer in storage: closing its {} connection(s) here so they rejoin",
            roomId, room->members.size());
    }
    for (const auto& member : room->members)
        transport_.close(member.connection, 1012, "room lost by storage; rejoin");
    room->members.clear();
    room->lastVersion = 0;
    room->lastState = nullptr;
    versions_.restart(roomId);
}

std::vector<std::string> RoomFanout::localRooms() const {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    std::vector<std::string> ids;
    ids.reserve(rooms_.size());
    for (const auto& entry : rooms_)
        ids.push_back(entry.first);
    return ids;
}

std::map<std::string, int> RoomFanout::connectionsByParticipant(const std::string& roomId) const {
    std::map<std::string, int> counts;
    auto room = find(roomId);
    if (!room)
        return counts;
    std::lock_guard<std::mutex> lock(room->mutex);
    for (const auto& member : room->members)
        ++counts[member.participantId];
    return counts;
}

}  // namespace fp::service
