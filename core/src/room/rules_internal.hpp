// Shared by the room_rules*.cpp files only (not part of the service API).
#pragma once

#include <string>

#include "room/room_rules.hpp"

namespace fp::room::rules {

// A client's text quoted for an error message: at most 32 characters, never invalid UTF-8.
std::string quoted(const std::string& text);

// Outcome builders.
Outcome reject(const Room& room, ErrorCode code, const std::string& message);
Outcome unchanged(const Room& room);
Outcome commit(Room room);

// Looks up the actor; nullptr when the actor is not (or no more) in the room.
const Participant* actorOf(const Room& room, const Command& command);
bool isController(const Room& room, const std::string& participantId);
// Permission checks, in the order every command applies them: not_joined, then forbidden.
// Then come bad_message, wrong_stage and the value errors (invalid_card, invalid_name...).
std::optional<Outcome> checkActor(const Room& room, const Command& command);
std::optional<Outcome> checkController(const Room& room, const Command& command);
std::optional<Outcome> checkFacilitator(const Room& room, const Command& command);

// Reads {title, ref?, url?} (story, queue.add, finalize.story); on a problem returns nullopt and
// sets `problem` ("title is empty").
std::optional<Story> readStory(const Poco::JSON::Object::Ptr& object, std::string& problem);

// Mutations shared by several commands.
void clearVotes(Room& room);
void reveal(Room& room);  // stage revealed; the round's timer is over
// Stage voting with no vote; round + 1; a revealed round is kept in earlierRounds.
void startNextRound(Room& room);
// Sets the current story (or none): votes cleared, stage voting, round 1, no earlier rounds.
void startStory(Room& room, std::optional<Story> story);
void addConnection(Participant& participant, const std::string& instanceId);
// Removes a participant for good: remembered as departed; the facilitator role passes on to
// the longest-present remaining participant (online ones first).
void removeParticipant(Room& room, const std::string& participantId);
// The timer has run out and sweep has not marked it yet.
bool timerExpiryDue(const Room& room, std::int64_t nowMs);

// Handlers: room_rules_presence.cpp
Outcome applyJoin(const Room& room, const Command& command, const RuleContext& context);
Outcome applyDisconnect(const Room& room, const Command& command, const RuleContext& context);
Outcome applySweep(const Room& room, const Command& command, const RuleContext& context);
Outcome applyAutoReveal(const Room& room, const Command& command, const RuleContext& context);
// room_rules_round.cpp
Outcome applyVote(const Room& room, const Command& command, const RuleContext& context);
Outcome applyUnvote(const Room& room, const Command& command, const RuleContext& context);
Outcome applyReveal(const Room& room, const Command& command, const RuleContext& context);
Outcome applyReset(const Room& room, const Command& command, const RuleContext& context);
Outcome applyFinalize(const Room& room, const Command& command, const RuleContext& context);
Outcome applyTimer(const Room& room, const Command& command, const RuleContext& context);
// room_rules_stories.cpp
Outcome applyStory(const Room& room, const Command& command, const RuleContext& context);
Outcome applyQueueAdd(const Room& room, const Command& command, const RuleContext& context);
Outcome applyQueueRemove(const Room& room, const Command& command, const RuleContext& context);
// room_rules_admin.cpp
Outcome applySettings(const Room& room, const Command& command, const RuleContext& context);
Outcome applyHandover(const Room& room, const Command& command, const RuleContext& context);
Outcome applyRename(const Room& room, const Command& command, const RuleContext& context);
Outcome applyRole(const Room& room, const Command& command, const RuleContext& context);
Outcome applyKick(const Room& room, const Command& command, const RuleContext& context);

}  // namespace fp::room::rules
