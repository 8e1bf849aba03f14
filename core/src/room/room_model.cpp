#include "room/room_model.hpp"

#include <algorithm>
#include <tuple>

namespace fp::room {

const char* toString(Stage stage) {
    return stage == Stage::revealed ? "revealed" : "voting";
}

const char* toString(Role role) {
    return role == Role::observer ? "observer" : "voter";
}

bool operator==(const Story& a, const Story& b) {
    return std::tie(a.title, a.ref, a.url) == std::tie(b.title, b.ref, b.url);
}

bool operator==(const Stats& a, const Stats& b) {
    return std::tie(a.average, a.median, a.min, a.max, a.distribution, a.consensus, a.agreement,
                    a.votes) == std::tie(b.average, b.median, b.min, b.max, b.distribution,
                                         b.consensus, b.agreement, b.votes);
}

bool operator==(const VoteRecord& a, const VoteRecord& b) {
    return std::tie(a.name, a.card) == std::tie(b.name, b.card);
}

bool operator==(const RoundRecord& a, const RoundRecord& b) {
    return std::tie(a.round, a.votes, a.stats) == std::tie(b.round, b.votes, b.stats);
}

bool operator==(const HistoryEntry& a, const HistoryEntry& b) {
    return std::tie(a.resultId, a.story, a.estimate, a.votes, a.stats, a.rounds, a.earlierRounds,
                    a.finalizedAtMs, a.participants) ==
           std::tie(b.resultId, b.story, b.estimate, b.votes, b.stats, b.rounds, b.earlierRounds,
                    b.finalizedAtMs, b.participants);
}

bool operator==(const Timer& a, const Timer& b) {
    return std::tie(a.startedAtMs, a.endsAtMs, a.seconds, a.autoReveal, a.expired) ==
           std::tie(b.startedAtMs, b.endsAtMs, b.seconds, b.autoReveal, b.expired);
}

bool operator==(const Participant& a, const Participant& b) {
    return std::tie(a.id, a.name, a.role, a.card, a.connections, a.joinedAtMs, a.joinSeq,
                    a.offlineSince, a.resumeTokenHash) ==
           std::tie(b.id, b.name, b.role, b.card, b.connections, b.joinedAtMs, b.joinSeq,
                    b.offlineSince, b.resumeTokenHash);
}

bool operator==(const RoomSettings& a, const RoomSettings& b) {
    return std::tie(a.autoReveal, a.hostOnly, a.anonymous, a.deckName) ==
           std::tie(b.autoReveal, b.hostOnly, b.anonymous, b.deckName);
}

bool operator==(const Room& a, const Room& b) {
    return std::tie(a.id, a.name, a.version, a.createdAtMs, a.stage, a.deck, a.settings, a.story,
                    a.round, a.earlierRounds, a.queue, a.participants, a.facilitatorId, a.timer,
                    a.history, a.departed, a.nextJoinSeq) ==
           std::tie(b.id, b.name, b.version, b.createdAtMs, b.stage, b.deck, b.settings, b.story,
                    b.round, b.earlierRounds, b.queue, b.participants, b.facilitatorId, b.timer,
                    b.history, b.departed, b.nextJoinSeq);
}

const Participant* findParticipant(const Room& room, const std::string& id) {
    auto found = std::find_if(room.participants.begin(), room.participants.end(),
                              [&](const Participant& p) { return p.id == id; });
    return found == room.participants.end() ? nullptr : &*found;
}

Participant* findParticipant(Room& room, const std::string& id) {
    auto found = std::find_if(room.participants.begin(), room.participants.end(),
                              [&](const Participant& p) { return p.id == id; });
    return found == room.participants.end() ? nullptr : &*found;
}

bool isFacilitator(const Room& room, const std::string& id) {
    return !id.empty() && room.facilitatorId == id;
}

bool canVote(const Participant& participant) {
    return participant.role == Role::voter;
}

bool isDeparted(const Room& room, const std::string& id) {
    return std::find(room.departed.begin(), room.departed.end(), id) != room.departed.end();
}

}  // namespace fp::room
