#include "room/public_state.hpp"

#include <algorithm>

#include "room/json_util.hpp"
#include "room/result_stats.hpp"
#include "room/room_codec.hpp"
#include "room/time_format.hpp"

namespace fp::room {
namespace {

using Poco::Dynamic::Var;

std::size_t orderIndex(const Stats& order, const std::string& card) {
    for (std::size_t i = 0; i < order.distribution.size(); ++i) {
        if (order.distribution[i].first == card) {
            return i;
        }
    }
    return order.distribution.size();
}

Poco::JSON::Object::Ptr renderTimer(const Timer& timer) {
    auto object = json::object();
    object->set("startedAt", formatIsoUtcMs(timer.startedAtMs));
    object->set("endsAt", formatIsoUtcMs(timer.endsAtMs));
    object->set("seconds", timer.seconds);
    object->set("autoReveal", timer.autoReveal);
    object->set("expired", timer.expired);
    return object;
}

}  // namespace

std::string publicRole(const Room& room, const Participant& participant) {
    if (isFacilitator(room, participant.id)) {
        return "facilitator";
    }
    return toString(participant.role);
}

std::vector<VoteRecord> currentVotes(const Room& room) {
    std::vector<VoteRecord> votes;
    for (const auto& p : room.participants) {
        if (p.card) {
            VoteRecord vote;
            if (!room.settings.anonymous) {
                vote.name = p.name;
            }
            vote.card = *p.card;
            votes.push_back(std::move(vote));
        }
    }
    if (room.settings.anonymous) {
        auto index = [&](const std::string& card) {
            return std::find(room.deck.begin(), room.deck.end(), card) - room.deck.begin();
        };
        std::stable_sort(votes.begin(), votes.end(), [&](const VoteRecord& a, const VoteRecord& b) {
            return index(a.card) < index(b.card);
        });
    }
    return votes;
}

Poco::JSON::Array::Ptr renderVotes(const std::vector<VoteRecord>& votes, bool anonymous,
                                   const Stats& order) {
    std::vector<VoteRecord> shown = votes;
    if (anonymous) {
        std::stable_sort(shown.begin(), shown.end(), [&](const VoteRecord& a, const VoteRecord& b) {
            return orderIndex(order, a.card) < orderIndex(order, b.card);
        });
    }
    auto array = json::array();
    for (const auto& vote : shown) {
        auto object = json::object();
        object->set("name", anonymous ? Var() : json::orNull(vote.name));
        object->set("card", vote.card);
        array->add(object);
    }
    return array;
}

Poco::JSON::Array::Ptr renderRounds(const std::vector<RoundRecord>& rounds, bool anonymous) {
    auto array = json::array();
    for (const auto& round : rounds) {
        auto object = json::object();
        object->set("round", round.round);
        object->set("votes", renderVotes(round.votes, anonymous, round.stats));
        object->set("stats", statsToJson(round.stats));
        array->add(object);
    }
    return array;
}

Poco::JSON::Object::Ptr renderHistoryEntry(const Room& room, const HistoryEntry& entry) {
    const bool anonymous = room.settings.anonymous;
    auto object = json::object();
    object->set("resultId", entry.resultId);
    object->set("story", encodeStory(entry.story));
    object->set("estimate", entry.estimate);
    object->set("votes", renderVotes(entry.votes, anonymous, entry.stats));
    object->set("stats", statsToJson(entry.stats));
    object->set("rounds", entry.rounds);
    object->set("earlierRounds", renderRounds(entry.earlierRounds, anonymous));
    object->set("finalizedAt", formatIsoUtcMs(entry.finalizedAtMs));
    object->set("participants", entry.participants);
    return object;
}

std::string renderSinkRecord(const Room& room, const HistoryEntry& entry) {
    // The history entry plus the room it belongs to (PROTOCOL.md "Results written to sinks").
    auto object = renderHistoryEntry(room, entry);
    object->set("roomId", room.id);
    object->set("roomName", room.name);
    return json::stringify(object);
}

Poco::JSON::Object::Ptr renderPublicState(const Room& room) {
    const bool revealed = room.stage == Stage::revealed;
    const bool anonymous = room.settings.anonymous;
    auto state = json::object();
    state->set("id", room.id);
    state->set("name", room.name);
    state->set("version", room.version);
    state->set("stage", toString(room.stage));
    auto deck = json::array();
    for (const auto& card : room.deck) {
        deck->add(card);
    }
    state->set("deck", deck);
    auto settings = json::object();
    settings->set("autoReveal", room.settings.autoReveal);
    settings->set("hostOnly", room.settings.hostOnly);
    settings->set("deckName", room.settings.deckName);
    settings->set("anonymous", anonymous);
    state->set("settings", settings);
    state->set("story", room.story ? Var(encodeStory(*room.story)) : Var());
    state->set("round", room.round);
    state->set("earlierRounds", renderRounds(room.earlierRounds, anonymous));
    auto queue = json::array();
    for (const auto& story : room.queue) {
        queue->add(encodeStory(story));
    }
    state->set("queue", queue);
    auto participants = json::array();
    for (const auto& p : room.participants) {
        auto entry = json::object();
        entry->set("id", p.id);
        entry->set("name", p.name);
        entry->set("role", publicRole(room, p));
        entry->set("online", p.online());
        entry->set("voted", p.card.has_value());
        entry->set("card", revealed && !anonymous ? json::orNull(p.card) : Var());
        entry->set("voter", canVote(p));
        participants->add(entry);
    }
    state->set("participants", participants);
    if (revealed) {
        std::vector<std::string> cards;
        for (const auto& p : room.participants) {
            if (p.card) {
                cards.push_back(*p.card);
            }
        }
        state->set("result", statsToJson(computeStats(cards, room.deck)));
    } else {
        state->set("result", Var());
    }
    state->set("timer", room.timer ? Var(renderTimer(*room.timer)) : Var());
    auto history = json::array();
    std::size_t shown = 0;
    for (auto it = room.history.rbegin(); it != room.history.rend() && shown < kPublicHistory;
         ++it, ++shown) {
        history->add(renderHistoryEntry(room, *it));
    }
    state->set("history", history);
    return state;
}

Poco::JSON::Object::Ptr renderYou(const Room& room, const std::string& participantId) {
    auto you = json::object();
    const Participant* p = findParticipant(room, participantId);
    if (p == nullptr) {
        you->set("role", Var());
        you->set("card", Var());
        you->set("voter", false);
        return you;
    }
    you->set("role", publicRole(room, *p));
    you->set("card", json::orNull(p->card));
    you->set("voter", canVote(*p));
    return you;
}

}  // namespace fp::room
