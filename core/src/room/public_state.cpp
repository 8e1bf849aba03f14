#include "room/public_state.hpp"

#include <algorithm>

#include "room/result_stats.hpp"
#include "room/time_format.hpp"

namespace fp::room {
namespace {

std::size_t orderIndex(const Stats& order, const std::string& card) {
    for (std::size_t i = 0; i < order.distribution.size(); ++i) {
        if (order.distribution[i].first == card)
            return i;
    }
    return order.distribution.size();
}

void writeVotes(json::Writer& out, const std::vector<VoteRecord>& votes, bool anonymous,
                const Stats& order) {
    out.beginArray();
    auto one = [&out, anonymous](const VoteRecord& vote) {
        out.beginObject().key("name");
        if (anonymous)
            out.null();
        else
            out.optionalString(vote.name);
        out.key("card").string(vote.card).endObject();
    };
    if (anonymous) {
        for (const auto& vote : shownVotes(votes, anonymous, order))
            one(vote);
    } else {
        for (const auto& vote : votes)
            one(vote);
    }
    out.endArray();
}

void writeRounds(json::Writer& out, const std::vector<RoundRecord>& rounds, bool anonymous) {
    out.beginArray();
    for (const auto& round : rounds) {
        out.beginObject().key("round").integer(round.round).key("votes");
        writeVotes(out, round.votes, anonymous, round.stats);
        out.key("stats");
        writeStats(out, round.stats);
        out.endObject();
    }
    out.endArray();
}

void writeHistoryFields(json::Writer& out, const Room& room, const HistoryEntry& entry) {
    const bool anonymous = room.settings.anonymous;
    out.key("resultId").string(entry.resultId).key("story");
    writeStory(out, entry.story);
    out.key("estimate").string(entry.estimate).key("votes");
    writeVotes(out, entry.votes, anonymous, entry.stats);
    out.key("stats");
    writeStats(out, entry.stats);
    out.key("rounds").integer(entry.rounds).key("earlierRounds");
    writeRounds(out, entry.earlierRounds, anonymous);
    out.key("finalizedAt").string(formatIsoUtcMs(entry.finalizedAtMs));
    out.key("participants").integer(entry.participants);
}

void writeParticipant(json::Writer& out, const Room& room, const Participant& p, bool cardsShown) {
    out.beginObject();
    out.key("id").string(p.id);
    out.key("name").string(p.name);
    out.key("role").string(publicRole(room, p));
    out.key("online").boolean(p.online());
    out.key("voted").boolean(p.card.has_value());
    out.key("card");
    if (cardsShown)
        out.optionalString(p.card);
    else
        out.null();
    out.key("voter").boolean(canVote(p));
    out.endObject();
}

}  // namespace

const char* publicRole(const Room& room, const Participant& participant) {
    if (isFacilitator(room, participant.id))
        return "facilitator";
    return toString(participant.role);
}

std::vector<VoteRecord> currentVotes(const Room& room) {
    std::vector<VoteRecord> votes;
    for (const auto& p : room.participants) {
        if (p.card) {
            VoteRecord vote;
            if (!room.settings.anonymous)
                vote.name = p.name;
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

std::vector<VoteRecord> shownVotes(const std::vector<VoteRecord>& votes, bool anonymous,
                                   const Stats& order) {
    std::vector<VoteRecord> shown = votes;
    if (anonymous) {
        for (auto& vote : shown)
            vote.name.reset();
        std::stable_sort(shown.begin(), shown.end(), [&](const VoteRecord& a, const VoteRecord& b) {
            return orderIndex(order, a.card) < orderIndex(order, b.card);
        });
    }
    return shown;
}

void writeStats(json::Writer& out, const Stats& stats) {
    out.beginObject();
    out.key("average").optionalNumber(stats.average);
    out.key("median").optionalNumber(stats.median);
    out.key("min").optionalString(stats.min);
    out.key("max").optionalString(stats.max);
    out.key("distribution").beginObject();
    for (const auto& [card, count] : stats.distribution)
        out.key(card).integer(count);
    out.endObject();
    out.key("consensus").boolean(stats.consensus);
    out.key("agreement").number(stats.agreement);
    out.key("votes").integer(stats.votes);
    out.endObject();
}

void writeStory(json::Writer& out, const Story& story) {
    out.beginObject()
        .key("title")
        .string(story.title)
        .key("ref")
        .optionalString(story.ref)
        .key("url")
        .optionalString(story.url)
        .endObject();
}

void writeHistoryEntry(json::Writer& out, const Room& room, const HistoryEntry& entry) {
    out.beginObject();
    writeHistoryFields(out, room, entry);
    out.endObject();
}

std::string renderSinkRecord(const Room& room, const HistoryEntry& entry) {
    std::string text;
    json::Writer out(text);
    out.beginObject();
    writeHistoryFields(out, room, entry);
    out.key("roomId").string(room.id);
    out.key("roomName").string(room.name);
    out.endObject();
    return text;
}

namespace {

bool cardsShown(const Room& room) {
    return room.stage == Stage::revealed && !room.settings.anonymous;
}

// The RoomState; `encoded` (may be null) records where its pieces sit, `previous` (may be
// null) gives the pieces to copy when what they show did not change.
void writeState(json::Writer& out, const Room& room, EncodedText* encoded,
                const PreviousText* previous) {
    const bool revealed = room.stage == Stage::revealed;
    const bool anonymous = room.settings.anonymous;
    out.beginObject();
    out.key("id").string(room.id);
    out.key("name").string(room.name);
    out.key("version").unsignedInteger(room.version);
    out.key("stage").string(toString(room.stage));
    out.key("deck");
    const TextRange deck = writePiece(
        out, previous, previous ? &previous->encoded.deck : nullptr,
        [&](const Room& before) { return before.deck == room.deck; },
        [&] {
            out.beginArray();
            for (const auto& card : room.deck)
                out.string(card);
            out.endArray();
        });
    if (encoded != nullptr)
        encoded->deck = deck;
    out.key("settings")
        .beginObject()
        .key("autoReveal")
        .boolean(room.settings.autoReveal)
        .key("hostOnly")
        .boolean(room.settings.hostOnly)
        .key("deckName")
        .string(room.settings.deckName)
        .key("anonymous")
        .boolean(anonymous)
        .endObject();
    out.key("story");
    if (room.story)
        writeStory(out, *room.story);
    else
        out.null();
    out.key("round").integer(room.round);
    out.key("earlierRounds");
    writeRounds(out, room.earlierRounds, anonymous);
    out.key("queue").beginArray();
    for (const auto& story : room.queue)
        writeStory(out, story);
    out.endArray();
    out.key("participants").beginArray();
    // A participant's entry shows its own fields, whether it is the facilitator and whether
    // cards are shown: equal all three, equal bytes.
    const bool shown = cardsShown(room);
    const bool sameShown = previous != nullptr && cardsShown(previous->room) == shown;
    if (encoded != nullptr)
        encoded->participants.reserve(room.participants.size());
    for (std::size_t i = 0; i < room.participants.size(); ++i) {
        const Participant& p = room.participants[i];
        const TextRange piece = writePiece(
            out, sameShown ? previous : nullptr, participantPiece(previous, i),
            [&](const Room& before) {
                return before.participants[i] == p &&
                       isFacilitator(before, p.id) == isFacilitator(room, p.id);
            },
            [&] { writeParticipant(out, room, p, shown); });
        if (encoded != nullptr)
            encoded->participants.push_back(piece);
    }
    out.endArray();
    out.key("result");
    if (revealed) {
        std::vector<std::string> cards;
        for (const auto& p : room.participants) {
            if (p.card)
                cards.push_back(*p.card);
        }
        writeStats(out, computeStats(cards, room.deck));
    } else {
        out.null();
    }
    out.key("timer");
    if (room.timer) {
        out.beginObject()
            .key("startedAt")
            .string(formatIsoUtcMs(room.timer->startedAtMs))
            .key("endsAt")
            .string(formatIsoUtcMs(room.timer->endsAtMs))
            .key("seconds")
            .integer(room.timer->seconds)
            .key("autoReveal")
            .boolean(room.timer->autoReveal)
            .key("expired")
            .boolean(room.timer->expired)
            .endObject();
    } else {
        out.null();
    }
    out.key("history");
    const TextRange history = writePiece(
        out, previous, previous ? &previous->encoded.history : nullptr,
        [&](const Room& before) {
            return before.settings.anonymous == anonymous &&
                   sameHistory(before.history, room.history);
        },
        [&] {
            out.beginArray();
            std::size_t count = 0;
            for (auto it = room.history.rbegin();
                 it != room.history.rend() && count < kPublicHistory; ++it, ++count) {
                writeHistoryEntry(out, room, *it);
            }
            out.endArray();
        });
    if (encoded != nullptr)
        encoded->history = history;
    out.endObject();
}

}  // namespace

void writePublicState(json::Writer& out, const Room& room) {
    writeState(out, room, nullptr, nullptr);
}

std::string publicStateJson(const Room& room) {
    std::string text;
    text.reserve(1024 + room.participants.size() * 128);
    json::Writer out(text);
    writeState(out, room, nullptr, nullptr);
    return text;
}

EncodedText publicStateText(const Room& room, const PreviousText* previous) {
    EncodedText encoded;
    encoded.text.reserve(previous ? previous->encoded.text.size() + 128
                                  : 1024 + room.participants.size() * 128);
    json::Writer out(encoded.text);
    writeState(out, room, &encoded, previous);
    return encoded;
}

void writeYou(json::Writer& out, const Room& room, const std::string& participantId) {
    out.beginObject();
    const Participant* p = findParticipant(room, participantId);
    if (p == nullptr) {
        out.key("role").null().key("card").null().key("voter").boolean(false);
    } else {
        out.key("role").string(publicRole(room, *p));
        out.key("card").optionalString(p->card);
        out.key("voter").boolean(canVote(*p));
    }
    out.endObject();
}

}  // namespace fp::room
