// What clients see, written straight to JSON text: the RoomState of PROTOCOL.md (redacted),
// `welcome.you`, history entries and the record written to sinks. This is the one renderer of
// the public state: the `state` and `welcome` messages, the HTTP routes and the exports all
// write through it, and the redaction tests read its bytes. No secret (token hash,
// connections) ever leaves through here.
#pragma once

#include <string>
#include <vector>

#include "room/encoded_text.hpp"
#include "room/json_writer.hpp"
#include "room/room_model.hpp"

namespace fp::room {

// RoomState. Before reveal every participant's card is null and `result` is null; with
// `anonymous` on every card stays null and no name is paired with a card anywhere.
// Additions: settings.anonymous, participants[].voter, history[].participants, timer.expired.
void writePublicState(json::Writer& out, const Room& room);
std::string publicStateJson(const Room& room);
// The same text, with where its pieces sit; `previous` (the same room's public state as
// written before, may be null) gives the pieces to copy when what they show did not change.
EncodedText publicStateText(const Room& room, const PreviousText* previous);

// {"role", "card", "voter"}: the participant's own card even before reveal or when anonymous.
// For an id that is not in the room: {"role": null, "card": null, "voter": false}.
void writeYou(json::Writer& out, const Room& room, const std::string& participantId);

// {resultId, story, estimate, votes, stats, rounds, earlierRounds, finalizedAt, participants}
void writeHistoryEntry(json::Writer& out, const Room& room, const HistoryEntry& entry);
// {"average","median","min","max","distribution":{card:count},"consensus","agreement","votes"}
void writeStats(json::Writer& out, const Stats& stats);
// {"title","ref","url"}
void writeStory(json::Writer& out, const Story& story);

// The sink record of PROTOCOL.md "Results written to sinks": the history entry plus roomId
// and roomName (votes never carry names when the room is anonymous).
std::string renderSinkRecord(const Room& room, const HistoryEntry& entry);

// "facilitator" for the facilitator, else "voter" or "observer".
const char* publicRole(const Room& room, const Participant& participant);

// The current round's votes (participants in arrival order), names left out when anonymous
// (then ordered by deck order, so the order cannot tell who voted what).
std::vector<VoteRecord> currentVotes(const Room& room);
// Votes as clients see them, in the order they are shown: when anonymous, names dropped and
// ordered by the card's place in `order`'s distribution.
std::vector<VoteRecord> shownVotes(const std::vector<VoteRecord>& votes, bool anonymous,
                                   const Stats& order);

}  // namespace fp::room
