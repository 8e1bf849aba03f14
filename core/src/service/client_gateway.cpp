#include "service/client_gateway.hpp"

#include <set>
#include <sstream>

#include <Poco/JSON/Stringifier.h>

#include "room/decks.hpp"
#include "room/json_writer.hpp"
#include "room/public_state.hpp"
#include "room/text_validation.hpp"
#include "room/time_format.hpp"
#include "service/client_message.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::service {
namespace {
using Poco::JSON::Object;

const std::set<std::string>& roomCommandTypes() {
    static const std::set<std::string> types = {
        "vote",     "unvote",   "reveal", "reset",    "story",  "queue.add", "queue.remove",
        "finalize", "settings", "timer",  "handover", "rename", "role",      "kick"};
    return types;
}

// The client's address for logs: what the transport resolved (behind a trusted proxy, the
// forwarded one), else the TCP peer (a transport that does not fill clientAddress).
const std::string& clientOf(const fp::sdk::ConnectionInfo& info) {
    return info.clientAddress.empty() ? info.remoteAddress : info.clientAddress;
}

std::string stringify(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

}  // namespace

ClientGateway::ClientGateway(RoomService& rooms, RoomFanout& fanout, KeyedWorkerPool& workers,
                             const ResumeTokenAuthority& tokens, metrics::MetricsRegistry& metrics,
                             std::shared_ptr<spdlog::logger> logger, GatewaySettings settings)
    : rooms_(rooms),
      fanout_(fanout),
      workers_(workers),
      tokens_(tokens),
      metrics_(metrics),
      logger_(std::move(logger)),
      settings_(std::move(settings)),
      origins_(settings_.allowedOrigins),
      roomQuota_(settings_.maxRoomsPerInstance) {}

std::size_t ClientGateway::sessionCount() const {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    return sessions_.size();
}

std::shared_ptr<ClientGateway::Session> ClientGateway::session(fp::sdk::ConnectionId id) const {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second;
}

bool ClientGateway::acceptConnection(const fp::sdk::ConnectionInfo& info, std::string& refusal) {
    if (origins_.allows(info.origin, info.host))
        return true;
    refusal = "origin not allowed";
    logger_->warn("refused a WebSocket from {}: origin '{}' is not allowed for host '{}'",
                  clientOf(info), info.origin, info.host);
    return false;
}

void ClientGateway::onConnectionOpened(fp::sdk::ConnectionId id,
                                       const fp::sdk::ConnectionInfo& info) {
    auto created = std::make_shared<Session>(settings_);
    created->info = info;
    {
        std::lock_guard<std::mutex> lock(sessionsMutex_);
        sessions_[id] = created;
    }
    metrics_.connections.fetch_add(1, std::memory_order_relaxed);
    logger_->debug("connection {} opened from {} ({})", id, clientOf(info), info.path);
}

void ClientGateway::onTextMessage(fp::sdk::ConnectionId id, std::string text) {
    metrics_.messagesReceived.fetch_add(1, std::memory_order_relaxed);
    auto current = session(id);
    if (!current)
        return;
    // Decided here, before any work is queued, so a flood cannot fill the workers' queues.
    switch (current->rate.admit(MessageRateLimiter::Clock::now())) {
        case MessageRateLimiter::Verdict::admit:
            workers_.post(id, [this, id, text = std::move(text)] { handleMessage(id, text); });
            return;
        case MessageRateLimiter::Verdict::limit:
            workers_.post(id, [this, id, text = std::move(text)] { answerRateLimited(id, text); });
            return;
        case MessageRateLimiter::Verdict::close:
            logger_->warn("connection {} from {} closed: over its message rate for {} s", id,
                          clientOf(current->info), settings_.rateLimitClose.count());
            metrics_.countError("rate_limited");
            fanout_.closeConnection(id, fp::sdk::closecode::policyViolation,
                                    "message rate exceeded");
            return;
    }
}

void ClientGateway::answerRateLimited(fp::sdk::ConnectionId id, const std::string& text) {
    // The rid is read so the answer pairs with its message; the message itself is dropped.
    auto parsed = parseClientMessage(text);
    sendError(id, "rate_limited",
              "more than " + std::to_string(static_cast<int>(settings_.messagesPerSecond)) +
                  " messages a second: this one was dropped",
              parsed.rid);
}

void ClientGateway::onConnectionClosed(fp::sdk::ConnectionId id, std::uint16_t /*code*/) {
    // Through the same lane as the connection's messages: it runs after all of them.
    if (!workers_.post(id, [this, id] { handleClose(id); }))
        handleClose(id);
}

bool ClientGateway::isCoreRoute(const std::string& path) const {
    return router_ != nullptr && router_->handles(path);
}

fp::sdk::HttpResponse ClientGateway::handleHttp(const fp::sdk::HttpRequest& request) {
    if (router_ == nullptr)
        return {404, "application/json", R"({"error":"not_found"})", {}};
    return router_->handle(request);
}

void ClientGateway::sendError(fp::sdk::ConnectionId id, const std::string& code,
                              const std::string& message, const Poco::Dynamic::Var& rid) {
    Object::Ptr error = new Object();
    error->set("type", "error");
    error->set("code", code);
    error->set("message", message);
    if (!rid.isEmpty())
        error->set("rid", rid);
    metrics_.countError(code);
    fanout_.sendTo(id, stringify(error));
}

void ClientGateway::sendAck(fp::sdk::ConnectionId id, const Poco::Dynamic::Var& rid) {
    if (rid.isEmpty())
        return;
    // Written directly, as {"rid":...,"type":"ack"} (the bytes the Poco object gave): one ack
    // goes out per command, and building a JSON tree for it cost about as much as the vote.
    std::string ack;
    room::json::Writer out(ack);
    out.beginObject().key("rid");
    if (rid.isString()) {
        out.string(rid.extract<std::string>());
    } else if (rid.isInteger() && rid.isSigned()) {
        out.integer(rid.convert<Poco::Int64>());
    } else if (rid.isInteger()) {
        out.unsignedInteger(rid.convert<Poco::UInt64>());
    } else {
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(rid, text);
        out.raw(text.str());
    }
    out.key("type").string("ack").endObject();
    fanout_.sendTo(id, std::move(ack));
}

void ClientGateway::handleMessage(fp::sdk::ConnectionId id, const std::string& text) {
    auto current = session(id);
    if (!current)
        return;  // closed meanwhile

    auto parsed = parseClientMessage(text);
    if (!parsed.errorCode.empty()) {
        sendError(id, parsed.errorCode, parsed.errorMessage, parsed.rid);
        return;
    }
    const Object::Ptr& message = parsed.body;
    const Poco::Dynamic::Var& rid = parsed.rid;
    const std::string& type = parsed.type;

    if (type == "ping") {
        Object::Ptr pong = new Object();
        pong->set("type", "pong");
        if (!rid.isEmpty())
            pong->set("rid", rid);
        fanout_.sendTo(id, stringify(pong));
        return;
    }
    if (type == "join") {
        if (current->joined) {
            sendError(id, "already_joined", "this connection has joined room " + current->roomId,
                      rid);
            return;
        }
        handleJoin(id, *current, message, rid);
        return;
    }
    if (roomCommandTypes().count(type) == 0) {
        sendError(id, "unknown_type", "unknown message type '" + type + "'", rid);
        return;
    }
    if (!current->joined) {
        sendError(id, "not_joined", "join a room before sending '" + type + "'", rid);
        return;
    }

    room::Command command;
    command.type = type;
    command.message = message;
    command.actorId = current->participantId;
    CommandResult result;
    try {
        result = rooms_.execute(current->roomId, command);
    } catch (const std::exception& e) {
        logger_->error("room {}: {} from {} (connection {}) failed: {}", current->roomId, type,
                       current->participantId, id, e.what());
        sendError(id, "internal", "the server failed to apply the message", rid);
        return;
    }
    if (!result.errorCode.empty()) {
        sendError(id, result.errorCode, result.errorMessage, rid);
        return;
    }
    sendAck(id, rid);
}

void ClientGateway::handleJoin(fp::sdk::ConnectionId id, Session& session,
                               const Object::Ptr& message, const Poco::Dynamic::Var& rid) {
    if (!message->has("room") || !message->get("room").isString()) {
        sendError(id, "bad_message", "join needs 'room' (a string)", rid);
        return;
    }
    const std::string roomId = message->getValue<std::string>("room");
    if (!room::isValidRoomId(roomId)) {
        sendError(id, "invalid_room", "room ids are 1..64 of A-Z a-z 0-9 _ -", rid);
        return;
    }
    const bool hasParticipant = message->has("participantId");
    const bool hasToken = message->has("resumeToken");
    if (hasParticipant != hasToken) {
        sendError(id, "bad_message", "participantId and resumeToken go together", rid);
        return;
    }

    room::Command command;
    command.type = "join";
    command.message = message;
    room::RuleContext issue;
    std::string token;
    if (hasParticipant) {
        if (!message->get("participantId").isString() || !message->get("resumeToken").isString()) {
            sendError(id, "bad_message", "participantId and resumeToken must be strings", rid);
            return;
        }
        const auto participantId = message->getValue<std::string>("participantId");
        token = message->getValue<std::string>("resumeToken");
        if (!tokens_.verify(roomId, participantId, token)) {
            sendError(id, "bad_resume", "that seat cannot be resumed with this token", rid);
            return;
        }
        command.resumeParticipantId = participantId;
        command.resumeTokenHash = ResumeTokenAuthority::hash(token);
    } else {
        issue.newParticipantId = "p_" + util::randomHex(8);
        token = tokens_.issue(roomId, issue.newParticipantId);
        issue.newResumeTokenHash = ResumeTokenAuthority::hash(token);
    }

    // Counted before the room becomes local, so a burst of joins to new rooms cannot overshoot.
    if (!roomQuota_.enter(roomId)) {
        logger_->warn(
            "room {}: join refused (connection {} from {}): this instance serves its "
            "maximum of {} rooms",
            roomId, id, clientOf(session.info), roomQuota_.maxRooms());
        sendError(id, "unavailable",
                  "this server serves its maximum of " + std::to_string(roomQuota_.maxRooms()) +
                      " rooms: nothing was changed, try again later",
                  rid);
        return;
    }
    auto interest = fanout_.acquire(roomId);
    if (!interest.ok()) {
        roomQuota_.leave(roomId);
        logger_->warn("room {}: subscribing failed (connection {}): {}", roomId, id,
                      interest.message);
        sendError(id, "unavailable", "the bus is unavailable: nothing was changed", rid);
        return;
    }
    CommandResult result;
    try {
        result = rooms_.execute(roomId, command, &issue);
    } catch (const std::exception& e) {
        logger_->error("room {}: join failed (connection {}): {}", roomId, id, e.what());
        result.errorCode = "internal";
        result.errorMessage = "the server failed to apply the join";
    }
    if (!result.errorCode.empty()) {
        fanout_.release(roomId);
        roomQuota_.leave(roomId);
        sendError(id, result.errorCode, result.errorMessage, rid);
        return;
    }

    session.joined = true;
    session.roomId = roomId;
    session.participantId = result.participantId;

    Object::Ptr welcome = new Object();
    welcome->set("type", "welcome");
    welcome->set("participantId", result.participantId);
    welcome->set("resumeToken", token);
    welcome->set("you", room::renderYou(result.room, result.participantId));
    welcome->set("room", room::renderPublicState(result.room));
    welcome->set("decks", room::renderDeckPresets());
    welcome->set("serverTime", room::formatIsoUtcMs(util::nowUnixMs()));
    fanout_.addMember(roomId, id, result.participantId, result.room.version, stringify(welcome));
    sendAck(id, rid);
}

void ClientGateway::handleClose(fp::sdk::ConnectionId id) {
    std::shared_ptr<Session> closed;
    {
        std::lock_guard<std::mutex> lock(sessionsMutex_);
        auto it = sessions_.find(id);
        if (it == sessions_.end())
            return;
        closed = it->second;
        sessions_.erase(it);
    }
    metrics_.connections.fetch_sub(1, std::memory_order_relaxed);
    logger_->debug("connection {} from {} closed (room {}, participant {})", id,
                   clientOf(closed->info), closed->roomId, closed->participantId);
    if (!closed->joined)
        return;
    fanout_.removeMember(closed->roomId, id);
    room::Command command;
    command.type = "disconnect";
    command.actorId = closed->participantId;
    try {
        auto result = rooms_.execute(closed->roomId, command);
        if (result.errorCode == "unavailable") {
            keepPendingDisconnect(closed->roomId, closed->participantId);
        } else if (!result.errorCode.empty() && result.errorCode != "not_joined") {
            logger_->warn("room {}: marking {} offline (connection {}) failed: {} {}",
                          closed->roomId, closed->participantId, id, result.errorCode,
                          result.errorMessage);
        }
    } catch (const std::exception& e) {
        logger_->error("room {}: disconnect of {} (connection {}) failed: {}", closed->roomId,
                       closed->participantId, id, e.what());
        keepPendingDisconnect(closed->roomId, closed->participantId);
    }
    fanout_.release(closed->roomId);
    roomQuota_.leave(closed->roomId);
}

void ClientGateway::keepPendingDisconnect(const std::string& roomId,
                                          const std::string& participantId) {
    logger_->warn(
        "room {}: storage refused the disconnect of {}; retrying it until storage "
        "takes it",
        roomId, participantId);
    if (!pendingDisconnects_.add({roomId, participantId, util::nowUnixMs()})) {
        logger_->error("more than {} disconnects wait for storage: dropped the oldest",
                       PendingDisconnects::kMaxPending);
    }
}

int ClientGateway::localConnectionsOf(const std::string& roomId,
                                      const std::string& participantId) const {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    int count = 0;
    for (const auto& [id, session] : sessions_) {
        if (session->joined && session->roomId == roomId && session->participantId == participantId)
            ++count;
    }
    return count;
}

void ClientGateway::retryPendingDisconnects() {
    auto all = pendingDisconnects_.takeAll();
    if (!all.empty())
        logger_->debug("retrying {} disconnect(s) storage refused", all.size());
    for (auto& pending : all) {
        const auto lane = std::hash<std::string>{}(pending.roomId);
        auto task = [this, pending] { retryDisconnect(pending); };
        if (!workers_.post(lane, task))
            pendingDisconnects_.add(std::move(pending));  // stopping: nothing runs any more
    }
}

void ClientGateway::retryDisconnect(const PendingDisconnect& pending) {
    // The stored count of this instance's connections may already be right: the room may have
    // been recreated (a Redis that restarted empty) and the participant rejoined meanwhile.
    // Only a stored count above this instance's real connections is taken down, one per lost
    // disconnect, which stays right whatever joins and closes happen in between.
    std::string code;
    const auto room = rooms_.read(pending.roomId, code);
    if (!room) {
        if (code == "unavailable")
            pendingDisconnects_.add(pending);
        return;  // not_found: the room is gone, and the participant with it
    }
    int stored = 0;
    for (const auto& participant : room->participants) {
        if (participant.id != pending.participantId)
            continue;
        auto it = participant.connections.find(settings_.instanceId);
        stored = it == participant.connections.end() ? 0 : it->second;
    }
    if (stored <= localConnectionsOf(pending.roomId, pending.participantId))
        return;
    room::Command command;
    command.type = "disconnect";
    command.actorId = pending.participantId;
    try {
        auto result = rooms_.execute(pending.roomId, command);
        if (result.errorCode == "unavailable") {
            pendingDisconnects_.add(pending);
            return;
        }
        if (!result.errorCode.empty() && result.errorCode != "not_joined") {
            logger_->warn("room {}: marking {} offline failed: {} {}", pending.roomId,
                          pending.participantId, result.errorCode, result.errorMessage);
            return;
        }
    } catch (const std::exception& e) {
        logger_->error("room {}: retried disconnect of {} failed: {}", pending.roomId,
                       pending.participantId, e.what());
        pendingDisconnects_.add(pending);
        return;
    }
    logger_->info("room {}: the disconnect of {} went through {} ms after the connection closed",
                  pending.roomId, pending.participantId, util::nowUnixMs() - pending.sinceUnixMs);
}

}  // namespace fp::service
