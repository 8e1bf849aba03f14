#include "service/room_fanout.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace fp::service {

RoomFanout::RoomFanout(fp::sdk::Transport& transport, fp::sdk::Bus& bus,
                       metrics::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> logger)
    : transport_(transport), bus_(bus), metrics_(metrics), logger_(std::move(logger)) {}

std::shared_ptr<RoomFanout::LocalRoom> RoomFanout::find(const std::string& roomId) const {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto it = rooms_.find(roomId);
    return it == rooms_.end() ? nullptr : it->second;
}

fp::sdk::Status RoomFanout::acquire(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto& room = rooms_[roomId];
    if (!room)
        room = std::make_shared<LocalRoom>();
    if (room->interest++ == 0) {
        auto status = bus_.subscribe(roomId);
        if (!status.ok()) {
            if (--room->interest == 0)
                rooms_.erase(roomId);
            return status;
        }
        metrics_.roomsWithLocalConnections.store(static_cast<std::int64_t>(rooms_.size()));
    }
    return fp::sdk::Status::success();
}

void RoomFanout::release(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end())
        return;
    if (--it->second->interest <= 0) {
        auto status = bus_.unsubscribe(roomId);
        if (!status.ok())
            logger_->warn("unsubscribing room {} failed: {}", roomId, status.message);
        rooms_.erase(it);
        metrics_.roomsWithLocalConnections.store(static_cast<std::int64_t>(rooms_.size()));
    }
}

void RoomFanout::addMember(const std::string& roomId, fp::sdk::ConnectionId connection,
                           const std::string& participantId, std::uint64_t welcomeVersion,
                           const std::string& welcomePayload) {
    auto room = find(roomId);
    if (!room)
        return;
    std::lock_guard<std::mutex> lock(room->mutex);
    transport_.send(connection, transport_.prepare(welcomePayload));
    metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
    if (room->lastVersion > welcomeVersion && room->lastState) {
        transport_.send(connection, room->lastState);
        metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
    }
    room->members.push_back({connection, participantId});
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

void RoomFanout::noteCommitted(const std::string& roomId, std::uint64_t version,
                               std::chrono::steady_clock::time_point when) {
    auto room = find(roomId);
    if (!room)
        return;
    std::lock_guard<std::mutex> lock(room->mutex);
    if (version > room->lastVersion)
        room->commitTimes[version] = when;
}

void RoomFanout::sendTo(fp::sdk::ConnectionId connection, std::string payload) {
    transport_.send(connection, transport_.prepare(std::move(payload)));
    metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
}

void RoomFanout::closeConnection(fp::sdk::ConnectionId connection, std::uint16_t code,
                                 const std::string& reason) {
    transport_.close(connection, code, reason);
}

std::vector<std::string> RoomFanout::localRooms() const {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    std::vector<std::string> ids;
    ids.reserve(rooms_.size());
    for (const auto& entry : rooms_)
        ids.push_back(entry.first);
    return ids;
}

std::map<std::string, int> RoomFanout::localParticipantCounts(const std::string& roomId) const {
    std::map<std::string, int> counts;
    auto room = find(roomId);
    if (!room)
        return counts;
    std::lock_guard<std::mutex> lock(room->mutex);
    for (const auto& member : room->members)
        ++counts[member.participantId];
    return counts;
}

void RoomFanout::closeLostRoom(const std::string& roomId) {
    auto room = find(roomId);
    if (!room)
        return;
    std::lock_guard<std::mutex> lock(room->mutex);
    if (!room->members.empty()) {
        logger_->warn(
            "room {} is no longer in storage: closing its {} connection(s) here so "
            "they rejoin",
            roomId, room->members.size());
    }
    for (const auto& member : room->members)
        transport_.close(member.connection, 1012, "room lost by storage; rejoin");
    room->members.clear();
    room->lastVersion = 0;
    room->lastState = nullptr;
    room->commitTimes.clear();
}

std::uint64_t RoomFanout::latestVersion(const std::string& roomId) const {
    auto room = find(roomId);
    if (!room)
        return 0;
    std::lock_guard<std::mutex> lock(room->mutex);
    return room->lastVersion;
}

void RoomFanout::onRoomState(const std::string& roomId, std::uint64_t version,
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
    for (const auto& member : room->members)
        transport_.send(member.connection, encoded);
    metrics_.messagesSent.fetch_add(room->members.size(), std::memory_order_relaxed);

    auto committed = room->commitTimes.find(version);
    if (committed != room->commitTimes.end()) {
        std::chrono::duration<double> elapsed =
            std::chrono::steady_clock::now() - committed->second;
        metrics_.fanoutLatency.observe(elapsed.count());
    }
    room->commitTimes.erase(room->commitTimes.begin(), room->commitTimes.upper_bound(version));

    // Only a kick removes a participant that still has connections; the cheap substring test
    // spares a parse of every other state.
    if (payload.find("\"kick\"") != std::string::npos)
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

void RoomFanout::onResync() {
    std::function<void(const std::string&)> handler;
    {
        std::lock_guard<std::mutex> lock(roomsMutex_);
        handler = resyncHandler_;
    }
    if (!handler)
        return;
    for (const auto& roomId : localRooms())
        handler(roomId);
}

void RoomFanout::retryResyncLater(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    resyncRetries_.insert(roomId);
}

void RoomFanout::retryPendingResyncs() {
    std::function<void(const std::string&)> handler;
    std::vector<std::string> rooms;
    {
        std::lock_guard<std::mutex> lock(roomsMutex_);
        handler = resyncHandler_;
        for (const auto& roomId : resyncRetries_) {
            if (rooms_.count(roomId) != 0)
                rooms.push_back(roomId);
        }
        resyncRetries_.clear();
    }
    if (!handler)
        return;
    for (const auto& roomId : rooms)
        handler(roomId);
}

void RoomFanout::setResyncHandler(std::function<void(const std::string& roomId)> handler) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    resyncHandler_ = std::move(handler);
}

}  // namespace fp::service
