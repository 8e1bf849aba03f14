#include "service/client_gateway.hpp"

#include "room/public_state.hpp"
#include "room/text_validation.hpp"
#include "service/state_message.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::service {
namespace {
using room::CommandKind;
using room::ErrorCode;

// The client's address for logs: what the transport resolved (behind a trusted proxy, the
// forwarded one), else the TCP peer (a transport that does not fill clientAddress).
const std::string& clientOf(const fp::sdk::ConnectionInfo& info) {
    return info.clientAddress.empty() ? info.remoteAddress : info.clientAddress;
}

}  // namespace

ClientGateway::ClientGateway(GatewayLinks links, metrics::MetricsRegistry& metrics,
                             std::shared_ptr<spdlog::logger> logger, GatewaySettings settings)
    : links_(links),
      metrics_(metrics),
      logger_(std::move(logger)),
      settings_(std::move(settings)),
      origins_(settings_.allowedOrigins),
      roomQuota_(settings_.maxRoomsPerInstance) {}

std::size_t ClientGateway::sessionCount() const {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    return sessions_.size();
}

ClientGateway::SessionPtr ClientGateway::session(fp::sdk::ConnectionId id) const {
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

bool ClientGateway::mayRunHere(const Session& session) const {
    return settings_.runOnTransportThreads && session.onLane.load(std::memory_order_acquire) == 0;
}

void ClientGateway::runOnLane(fp::sdk::ConnectionId id, const SessionPtr& session,
                              std::function<void()> step) {
    session->onLane.fetch_add(1, std::memory_order_acq_rel);
    const bool posted = links_.lanes.postForConnection(id, [session, step = std::move(step)] {
        step();
        session->onLane.fetch_sub(1, std::memory_order_acq_rel);
    });
    if (!posted)
        session->onLane.fetch_sub(1, std::memory_order_acq_rel);  // stopping: dropped
}

void ClientGateway::onTextMessage(fp::sdk::ConnectionId id, std::string text) {
    metrics_.messagesReceived.fetch_add(1, std::memory_order_relaxed);
    auto current = session(id);
    if (!current)
        return;
    // Decided here, before any work is queued, so a flood cannot fill the lanes' queues.
    switch (current->rate.admit(MessageRateLimiter::Clock::now())) {
        case MessageRateLimiter::Verdict::admit:
            if (mayRunHere(*current)) {
                handleMessage(id, current, text, false);
            } else {
                runOnLane(id, current, [this, id, current, text = std::move(text)] {
                    handleMessage(id, current, text, true);
                });
            }
            return;
        case MessageRateLimiter::Verdict::limit:
            if (mayRunHere(*current)) {
                answerRateLimited(id, text);
            } else {
                runOnLane(id, current,
                          [this, id, text = std::move(text)] { answerRateLimited(id, text); });
            }
            return;
        case MessageRateLimiter::Verdict::close:
            logger_->warn("connection {} from {} closed: over its message rate for {} s", id,
                          clientOf(current->info), settings_.rateLimitClose.count());
            metrics_.countError(ErrorCode::rateLimited);
            links_.sender.close(id, fp::sdk::closecode::policyViolation, "message rate exceeded");
            return;
    }
}

void ClientGateway::answerRateLimited(fp::sdk::ConnectionId id, const std::string& text) {
    // The rid is read so the answer pairs with its message; the message itself is dropped.
    auto parsed = parseClientMessage(text);
    sendError(id, ErrorCode::rateLimited,
              "more than " + std::to_string(static_cast<int>(settings_.messagesPerSecond)) +
                  " messages a second: this one was dropped",
              parsed.rid);
}

void ClientGateway::onConnectionClosed(fp::sdk::ConnectionId id, std::uint16_t /*code*/) {
    auto closed = session(id);
    if (!closed)
        return;
    // After all of the connection's messages, wherever they run.
    if (mayRunHere(*closed)) {
        handleClose(id);
        return;
    }
    closed->onLane.fetch_add(1, std::memory_order_acq_rel);
    if (!links_.lanes.postForConnection(id, [this, id] { handleClose(id); }))
        handleClose(id);  // stopping: nothing else runs for it any more
}

bool ClientGateway::isCoreRoute(const std::string& path) const {
    return links_.router.handles(path);
}

fp::sdk::HttpResponse ClientGateway::handleHttp(const fp::sdk::HttpRequest& request) {
    return links_.router.handle(request);
}

void ClientGateway::sendError(fp::sdk::ConnectionId id, ErrorCode code, const std::string& message,
                              const Poco::Dynamic::Var& rid) {
    metrics_.countError(code);
    links_.sender.send(id, renderErrorMessage(code, message, rid));
}

void ClientGateway::sendAck(fp::sdk::ConnectionId id, const Poco::Dynamic::Var& rid) {
    if (!rid.isEmpty())
        links_.sender.send(id, renderAckMessage(rid));
}

void ClientGateway::handleMessage(fp::sdk::ConnectionId id, const SessionPtr& session,
                                  const std::string& text, bool onLane) {
    auto parsed = parseClientMessage(text);
    if (!parsed.ok()) {
        sendError(id, parsed.error, parsed.errorMessage, parsed.rid);
        return;
    }
    switch (*parsed.kind) {
        case CommandKind::ping:
            links_.sender.send(id, renderPongMessage(parsed.rid));
            return;
        case CommandKind::join:
            handleJoin(id, session, parsed, onLane);
            return;
        default:
            handleRoomCommand(id, *session, parsed);
            return;
    }
}

void ClientGateway::handleJoin(fp::sdk::ConnectionId id, const SessionPtr& session,
                               const ClientMessage& message, bool onLane) {
    if (session->joined) {
        sendError(id, ErrorCode::alreadyJoined,
                  "this connection has joined room " + session->roomId, message.rid);
        return;
    }
    if (!message.body->has("room") || !message.body->get("room").isString()) {
        sendError(id, ErrorCode::badMessage, "join needs 'room' (a string)", message.rid);
        return;
    }
    const std::string roomId = message.body->getValue<std::string>("room");
    if (!room::isValidRoomId(roomId)) {
        sendError(id, ErrorCode::invalidRoom, "room ids are 1..64 of A-Z a-z 0-9 _ -", message.rid);
        return;
    }
    // A room not held here may have to be read back from sinks (I/O): not on a transport
    // thread. The connection's next messages follow it to the lane.
    if (!onLane && !links_.rooms.holdsCurrentCopy(roomId)) {
        runOnLane(id, session, [this, id, session, message, roomId] {
            joinRoom(id, *session, message, roomId);
        });
        return;
    }
    joinRoom(id, *session, message, roomId);
}

void ClientGateway::joinRoom(fp::sdk::ConnectionId id, Session& session,
                             const ClientMessage& message, const std::string& roomId) {
    const auto& body = message.body;
    const auto& rid = message.rid;
    const bool hasParticipant = body->has("participantId");
    if (hasParticipant != body->has("resumeToken")) {
        sendError(id, ErrorCode::badMessage, "participantId and resumeToken go together", rid);
        return;
    }
    room::Command command;
    command.kind = CommandKind::join;
    command.message = body;
    room::RuleContext seat;
    std::string token;
    if (hasParticipant) {
        if (!body->get("participantId").isString() || !body->get("resumeToken").isString()) {
            sendError(id, ErrorCode::badMessage, "participantId and resumeToken must be strings",
                      rid);
            return;
        }
        const auto participantId = body->getValue<std::string>("participantId");
        token = body->getValue<std::string>("resumeToken");
        if (!links_.tokens.verify(roomId, participantId, token)) {
            sendError(id, ErrorCode::badResume, "that seat cannot be resumed with this token", rid);
            return;
        }
        command.resumeParticipantId = participantId;
        command.resumeTokenHash = ResumeTokenAuthority::hash(token);
    } else {
        seat.newParticipantId = "p_" + util::randomHex(8);
        token = links_.tokens.issue(roomId, seat.newParticipantId);
        seat.newResumeTokenHash = ResumeTokenAuthority::hash(token);
    }

    // Counted before the room becomes local, so a burst of joins to new rooms cannot overshoot.
    if (!roomQuota_.enter(roomId)) {
        logger_->warn(
            "room {}: join refused (connection {} from {}): this instance serves its maximum "
            "of {} rooms",
            roomId, id, clientOf(session.info), roomQuota_.maxRooms());
        sendError(id, ErrorCode::unavailable,
                  "this server serves its maximum of " + std::to_string(roomQuota_.maxRooms()) +
                      " rooms: nothing was changed, try again later",
                  rid);
        return;
    }
    auto interest = links_.interest.acquire(roomId);
    if (!interest.ok()) {
        roomQuota_.leave(roomId);
        logger_->warn("room {}: subscribing failed (connection {}): {}", roomId, id,
                      interest.message);
        sendError(id, ErrorCode::unavailable, "the bus is unavailable: nothing was changed", rid);
        return;
    }
    CommandResult result;
    try {
        result = links_.rooms.execute(roomId, command, &seat);
    } catch (const std::exception& e) {
        logger_->error("room {}: join failed (connection {}): {}", roomId, id, e.what());
        result.error = ErrorCode::internal;
        result.errorMessage = "the server failed to apply the join";
    }
    if (!result.ok()) {
        links_.interest.release(roomId);
        roomQuota_.leave(roomId);
        sendError(id, result.error, result.errorMessage, rid);
        return;
    }

    session.joined = true;
    session.roomId = roomId;
    session.participantId = result.participantId;
    // The welcome shows the room with the very bytes of the join's own state.
    const std::string roomJson =
        result.committed ? result.committed->publicState.text : room::publicStateJson(*result.room);
    links_.fanout.addMember(roomId, id, result.participantId, result.room->version,
                            renderWelcomeMessage(*result.room, result.participantId, token,
                                                 roomJson, util::nowUnixMs()));
    sendAck(id, rid);
}

void ClientGateway::handleRoomCommand(fp::sdk::ConnectionId id, Session& session,
                                      const ClientMessage& message) {
    if (!session.joined) {
        sendError(id, ErrorCode::notJoined, "join a room before sending '" + message.type + "'",
                  message.rid);
        return;
    }
    room::Command command;
    command.kind = *message.kind;
    command.message = message.body;
    command.actorId = session.participantId;
    CommandResult result;
    try {
        result = links_.rooms.execute(session.roomId, command);
    } catch (const std::exception& e) {
        logger_->error("room {}: {} from {} (connection {}) failed: {}", session.roomId,
                       message.type, session.participantId, id, e.what());
        sendError(id, ErrorCode::internal, "the server failed to apply the message", message.rid);
        return;
    }
    if (!result.ok()) {
        sendError(id, result.error, result.errorMessage, message.rid);
        return;
    }
    sendAck(id, message.rid);
}

void ClientGateway::handleClose(fp::sdk::ConnectionId id) {
    SessionPtr closed;
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
    links_.fanout.removeMember(closed->roomId, id);
    room::Command command;
    command.kind = CommandKind::disconnect;
    command.actorId = closed->participantId;
    bool keep = false;
    try {
        auto result = links_.rooms.execute(closed->roomId, command);
        keep = result.error == ErrorCode::unavailable;
        if (!keep && !result.ok() && result.error != ErrorCode::notJoined) {
            logger_->warn("room {}: marking {} offline (connection {}) failed: {} {}",
                          closed->roomId, closed->participantId, id, wireName(result.error),
                          result.errorMessage);
        }
    } catch (const std::exception& e) {
        logger_->error("room {}: disconnect of {} (connection {}) failed: {}", closed->roomId,
                       closed->participantId, id, e.what());
        keep = true;
    }
    if (keep) {
        logger_->warn(
            "room {}: storage refused the disconnect of {}; retrying it until storage takes it",
            closed->roomId, closed->participantId);
        if (!links_.pendingDisconnects.add(
                {closed->roomId, closed->participantId, util::nowUnixMs()})) {
            logger_->error("more than {} disconnects wait for storage: dropped the oldest",
                           PendingDisconnects::kMaxPending);
        }
    }
    links_.interest.release(closed->roomId);
    roomQuota_.leave(closed->roomId);
}

}  // namespace fp::service
