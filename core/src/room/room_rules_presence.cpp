// join, disconnect, sweep, autoReveal: who is in the room and online.
#include <algorithm>

#include "room/message_fields.hpp"
#include "room/rules_internal.hpp"
#include "room/text_validation.hpp"

namespace fp::room::rules {
namespace {

Participant makeParticipant(Room& room, const std::string& id, const std::string& name, Role role,
                            const std::string& tokenHash, const RuleContext& context) {
    Participant p;
    p.id = id;
    p.name = name;
    p.role = role;
    p.joinedAtMs = context.nowMs;
    p.joinSeq = room.nextJoinSeq++;
    p.resumeTokenHash = tokenHash;
    addConnection(p, context.instanceId);
    return p;
}

std::string fullMessage(const Room& room) {
    return "room \"" + room.id + "\" is full (" + std::to_string(room.participants.size()) +
           " participants)";
}

}  // namespace

Outcome applyJoin(const Room& room, const Command& command, const RuleContext& context) {
    MessageFields fields(command.message, "join");
    const std::string roomId = fields.requiredString("room");
    const std::string rawName = fields.requiredString("name");
    const auto rawRole = fields.optionalString("role");
    const auto resumeId = fields.optionalString("participantId");
    const auto resumeToken = fields.optionalString("resumeToken");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (resumeId.has_value() != resumeToken.has_value()) {
        return reject(room, ErrorCode::badMessage,
                      "join: participantId and resumeToken must be given together");
    }
    Role role = Role::voter;
    if (rawRole && *rawRole == "observer") {
        role = Role::observer;
    } else if (rawRole && *rawRole != "voter") {
        return reject(room, ErrorCode::badMessage, "join: role must be voter or observer");
    }
    if (!isValidRoomId(roomId)) {
        return reject(room, ErrorCode::invalidRoom,
                      "join: room must be 1..64 characters of A-Z a-z 0-9 _ -");
    }
    if (roomId != room.id) {
        return reject(room, ErrorCode::invalidRoom,
                      "join: room \"" + roomId + "\" is not room \"" + room.id + "\"");
    }
    const TextCheck name = checkName(rawName);
    if (!name.ok) {
        return reject(room, ErrorCode::invalidName, "join: name " + name.problem);
    }

    Room next = room;
    std::string seatId;
    if (!command.resumeParticipantId.empty()) {
        seatId = command.resumeParticipantId;
        if (resumeId && *resumeId != seatId) {
            return reject(room, ErrorCode::badResume,
                          "join: participantId does not match the token");
        }
        if (isDeparted(room, seatId)) {
            return reject(room, ErrorCode::badResume,
                          "join: participant " + seatId +
                              " has left this room for good (kicked or removed after the grace "
                              "period); join without participantId");
        }
        if (Participant* seat = findParticipant(next, seatId)) {
            if (seat->resumeTokenHash.empty() || seat->resumeTokenHash != command.resumeTokenHash) {
                return reject(room, ErrorCode::badResume,
                              "join: the resume token is not valid for participant " + seatId);
            }
            addConnection(*seat, context.instanceId);
        } else {
            // The room lost this seat (storage restarted empty): re-create it with the same id.
            if (static_cast<int>(next.participants.size()) >= context.maxParticipants) {
                return reject(room, ErrorCode::roomFull, "join: " + fullMessage(room));
            }
            next.participants.push_back(
                makeParticipant(next, seatId, name.value, role, command.resumeTokenHash, context));
        }
    } else {
        if (resumeId) {
            return reject(room, ErrorCode::badResume, "join: the resume token was not verified");
        }
        if (static_cast<int>(next.participants.size()) >= context.maxParticipants) {
            return reject(room, ErrorCode::roomFull, "join: " + fullMessage(room));
        }
        seatId = context.newParticipantId;
        if (seatId.empty() || findParticipant(room, seatId) != nullptr ||
            isDeparted(room, seatId)) {
            return reject(room, ErrorCode::internal, "join: no fresh participant id was provided");
        }
        next.participants.push_back(
            makeParticipant(next, seatId, name.value, role, context.newResumeTokenHash, context));
    }
    if (next.facilitatorId.empty()) {
        next.facilitatorId = seatId;
    }
    Outcome outcome = commit(std::move(next));
    outcome.participantId = seatId;
    return outcome;
}

Outcome applyDisconnect(const Room& room, const Command& command, const RuleContext& context) {
    Room next = room;
    Participant* p = findParticipant(next, command.actorId);
    if (p == nullptr) {
        return unchanged(room);
    }
    auto connection = p->connections.find(context.instanceId);
    if (connection == p->connections.end()) {
        return unchanged(room);
    }
    if (--connection->second <= 0) {
        p->connections.erase(connection);
    }
    if (!p->online()) {
        p->offlineSince = context.nowMs;
    }
    return commit(std::move(next));
}

Outcome applySweep(const Room& room, const Command&, const RuleContext& context) {
    Room next = room;
    bool changed = false;
    if (context.liveInstances) {
        const auto& live = *context.liveInstances;
        for (auto& p : next.participants) {
            const bool wasOnline = p.online();
            for (auto it = p.connections.begin(); it != p.connections.end();) {
                if (it->first != context.instanceId &&
                    std::find(live.begin(), live.end(), it->first) == live.end()) {
                    it = p.connections.erase(it);
                    changed = true;
                } else {
                    ++it;
                }
            }
            if (wasOnline && !p.online()) {
                p.offlineSince = context.nowMs;
            }
        }
    }
    if (context.localConnections) {
        for (auto& p : next.participants) {
            auto local = context.localConnections->find(p.id);
            if (local == context.localConnections->end() || local->second <= 0)
                continue;
            auto counted = p.connections.find(context.instanceId);
            if (counted == p.connections.end() || counted->second < local->second) {
                p.connections[context.instanceId] = local->second;
                p.offlineSince.reset();
                changed = true;
            }
        }
    }
    std::vector<std::string> expired;
    for (const auto& p : next.participants) {
        if (p.offlineSince && context.nowMs - *p.offlineSince >= context.graceMs) {
            expired.push_back(p.id);
        }
    }
    for (const auto& id : expired) {
        removeParticipant(next, id);
        changed = true;
    }
    if (timerExpiryDue(next, context.nowMs)) {
        // Exactly once: marked expired here, so it is never due again.
        next.timer->expired = true;
        if (next.timer->autoReveal && next.stage == Stage::voting) {
            reveal(next);
        }
        changed = true;
    }
    if (!changed) {
        return unchanged(room);
    }
    Outcome outcome = commit(std::move(next));
    outcome.removedParticipantIds = std::move(expired);
    return outcome;
}

Outcome applyAutoReveal(const Room& room, const Command&, const RuleContext&) {
    if (!autoRevealDue(room)) {
        return unchanged(room);
    }
    Room next = room;
    reveal(next);
    return commit(std::move(next));
}

}  // namespace fp::room::rules
