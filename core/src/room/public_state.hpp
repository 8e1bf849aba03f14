// What clients see: the RoomState of PROTOCOL.md (redacted), `welcome.you`, history entries and
// the record written to sinks. No secret (token hash, connections) ever leaves through here.
#pragma once

#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "room/room_model.hpp"

namespace fp::room {

// RoomState. Before reveal every participant's card is null and `result` is null; with
// `anonymous` on every card stays null and no name is paired with a card anywhere.
// Additions: settings.anonymous, participants[].voter, history[].participants.
Poco::JSON::Object::Ptr renderPublicState(const Room& room);

// {"role", "card", "voter"}: the participant's own card even before reveal or when anonymous.
// For an id that is not in the room: {"role": null, "card": null, "voter": false}.
Poco::JSON::Object::Ptr renderYou(const Room& room, const std::string& participantId);

// "facilitator" for the facilitator, else "voter" or "observer".
std::string publicRole(const Room& room, const Participant& participant);

// The current round's votes (participants in arrival order), names left out when anonymous
// (then ordered by deck order, so the order cannot tell who voted what).
std::vector<VoteRecord> currentVotes(const Room& room);
// Votes as clients see them: [{"name", "card"}], name null when anonymous or not recorded.
Poco::JSON::Array::Ptr renderVotes(const std::vector<VoteRecord>& votes, bool anonymous,
                                   const Stats& order);
Poco::JSON::Array::Ptr renderRounds(const std::vector<RoundRecord>& rounds, bool anonymous);
// {resultId, story, estimate, votes, stats, rounds, earlierRounds, finalizedAt, participants}
Poco::JSON::Object::Ptr renderHistoryEntry(const Room& room, const HistoryEntry& entry);
// The sink record of PROTOCOL.md "Results written to sinks" (votes never carry names when the
// room is anonymous).
std::string renderSinkRecord(const Room& room, const HistoryEntry& entry);

}  // namespace fp::room
