// The room rules: pure functions of (room, command, context) -> outcome. No clock, no
// randomness, no I/O: the service passes the time, fresh ids and presence in RuleContext.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "room/command_kind.hpp"
#include "room/error_code.hpp"
#include "room/room_model.hpp"

namespace fp::room {

struct RuleContext {
    std::int64_t nowMs = 0;  // unix ms
    std::string instanceId;  // this server instance; presence is counted per instance
    int maxParticipants = 100;
    std::int64_t graceMs = 600000;  // offline participants are removed after this
    // When known: connections counted on other instances not in this list are dropped (their
    // participants go offline). instanceId itself is always taken as live.
    std::optional<std::vector<std::string>> liveInstances;
    // sweep only, when known: this instance's open connections per participant id. A
    // participant counted lower on this instance than that (another instance took this one
    // for dead while it could not reach storage) is counted again, so it shows online.
    std::optional<std::map<std::string, int>> localConnections;
    std::string newParticipantId;    // fresh id for a join that creates a participant
    std::string newResumeTokenHash;  // hash of the token issued with that id
    std::string newResultId;         // fresh id for a finalize ("r_...")
};

struct Command {
    // A client's command (join..ping, see command_kind.hpp) or one of the server's own
    // (disconnect, autoReveal, sweep). The server's own are accepted only with a null
    // `message`, so they never come from a client.
    CommandKind kind = CommandKind::ping;
    Poco::JSON::Object::Ptr message;  // the client's message; null for the server's own
    std::string actorId;              // participant id; empty for the server's own commands
    // join only: a resume attempt whose token HMAC the service already verified
    std::string resumeParticipantId;  // empty = new participant
    std::string resumeTokenHash;      // sha256 of the presented token, compared to the stored one
};

struct Outcome {
    ErrorCode error = ErrorCode::none;  // none = success
    std::string errorMessage;           // short, human-readable, with context
    bool changed = false;               // false: nothing to commit
    Room room;                          // the new room when changed; the unchanged room otherwise
    std::string participantId;          // join: the seat taken
    std::optional<std::string> finalizedResultJson;  // finalize: the sink record
    std::vector<CommandKind> followUps;              // server commands to apply next
    // Addition: participants that left for good with this change (kick, grace removal).
    std::vector<std::string> removedParticipantIds;

    bool ok() const { return error == ErrorCode::none; }
};

// A room as `join` creates it: name = id, fibonacci deck, voting, round 1, version 0.
Room newRoom(const std::string& roomId, std::int64_t nowMs);

// The server's own commands:
// - disconnect: actorId's connection count on context.instanceId goes down by one; at a total of
//   0 the participant is offline since nowMs.
// - autoReveal: reveals when autoRevealDue(room); else no change.
// - sweep: drops connections counted on instances not in liveInstances (when given); raises
//   this instance's count to localConnections (when given) where it is lower; removes
//   participants offline for graceMs or longer (remembered as departed, facilitator passed on);
//   marks a timer that has run out as expired, revealing when it has autoReveal and the stage is
//   voting (exactly once). No change when nothing is due (see nextDueMs).
// A successful change after which autoRevealDue(room) holds lists "autoReveal" in followUps.
Outcome applyCommand(const Room& room, const Command& command, const RuleContext& context);

// When `sweep` next has something to do (unix ms; may be <= nowMs: due now), nullopt when
// nothing is pending. sweep changes the room exactly when nextDueMs(room, ctx) <= ctx.nowMs.
std::optional<std::int64_t> nextDueMs(const Room& room, const RuleContext& context);

// True when the autoReveal setting is on, the stage is voting, at least one vote is cast and
// every online participant who can vote has voted.
bool autoRevealDue(const Room& room);

}  // namespace fp::room
