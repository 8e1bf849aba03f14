// vote, unvote, reveal, reset, finalize, timer: the voting round.
#include <algorithm>

#include "room/message_fields.hpp"
#include "room/public_state.hpp"
#include "room/result_stats.hpp"
#include "room/rules_internal.hpp"
#include "room/text_validation.hpp"

namespace fp::room::rules {
namespace {

bool inDeck(const Room& room, const std::string& card) {
    return std::find(room.deck.begin(), room.deck.end(), card) != room.deck.end();
}

}  // namespace

Outcome applyVote(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkActor(room, command)) {
        return *denied;
    }
    const Participant* actor = actorOf(room, command);
    if (!canVote(*actor)) {
        return reject(room, ErrorCode::forbidden,
                      "vote: observers do not vote; switch role to voter");
    }
    MessageFields fields(command.message, "vote");
    const std::string card = fields.requiredString("card");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (room.stage != Stage::voting) {
        return reject(room, ErrorCode::wrongStage,
                      "vote: the cards are revealed; reset to vote again");
    }
    if (!inDeck(room, card)) {
        return reject(
            room, ErrorCode::invalidCard,
            "vote: " + quoted(card) + " is not in the " + room.settings.deckName + " deck");
    }
    if (actor->card == card) {
        return unchanged(room);
    }
    Room next = room;
    findParticipant(next, actor->id)->card = card;
    return commit(std::move(next));
}

Outcome applyUnvote(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkActor(room, command)) {
        return *denied;
    }
    const Participant* actor = actorOf(room, command);
    if (!canVote(*actor)) {
        return reject(room, ErrorCode::forbidden, "unvote: observers do not vote");
    }
    if (room.stage != Stage::voting) {
        return reject(room, ErrorCode::wrongStage,
                      "unvote: the cards are revealed; reset to vote again");
    }
    if (!actor->card) {
        return unchanged(room);
    }
    Room next = room;
    findParticipant(next, actor->id)->card.reset();
    return commit(std::move(next));
}

Outcome applyReveal(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    if (room.stage != Stage::voting) {
        return reject(room, ErrorCode::wrongStage, "reveal: the cards are already revealed");
    }
    Room next = room;
    reveal(next);
    return commit(std::move(next));
}

Outcome applyReset(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    Room next = room;
    startNextRound(next);
    return commit(std::move(next));
}

Outcome applyFinalize(const Room& room, const Command& command, const RuleContext& context) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "finalize");
    const std::string rawEstimate = fields.requiredString("estimate");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    // Addition: a round estimated without a story is recorded under the `story` it brings
    // (one step, so the revealed round is never lost between naming it and finalizing it).
    std::optional<Story> namedStory;
    if (fields.present("story")) {
        const auto raw = fields.raw("story");
        if (raw.type() != typeid(Poco::JSON::Object::Ptr) ||
            raw.extract<Poco::JSON::Object::Ptr>().isNull()) {
            return reject(room, ErrorCode::badMessage,
                          "finalize: story must be an object {title, ref?, url?}");
        }
        std::string problem;
        namedStory = readStory(raw.extract<Poco::JSON::Object::Ptr>(), problem);
        if (!namedStory) {
            return reject(room, ErrorCode::badMessage, "finalize: story." + problem);
        }
        if (room.story) {
            return reject(room, ErrorCode::wrongStage,
                          "finalize: the round already has a story; story is only for a round "
                          "estimated without one");
        }
    }
    if (!room.story && !namedStory) {
        return reject(room, ErrorCode::wrongStage,
                      "finalize: there is no current story to finalize (give story {title} to "
                      "record the round under a title)");
    }
    if (room.stage != Stage::revealed) {
        return reject(room, ErrorCode::wrongStage, "finalize: reveal the cards first");
    }
    std::string estimate = rawEstimate;
    if (!inDeck(room, rawEstimate)) {
        const TextCheck check = checkText(rawEstimate, 1, kMaxEstimateLength);
        if (!check.ok) {
            return reject(room, ErrorCode::invalidCard,
                          "finalize: estimate is neither a card of the deck nor a text of 1.." +
                              std::to_string(kMaxEstimateLength) + " characters: it " +
                              check.problem);
        }
        estimate = check.value;
    }
    const std::string& resultId = context.newResultId;
    const bool usedId = std::any_of(room.history.begin(), room.history.end(),
                                    [&](const HistoryEntry& e) { return e.resultId == resultId; });
    if (resultId.empty() || usedId) {
        return reject(room, ErrorCode::internal, "finalize: no fresh result id was provided");
    }

    HistoryEntry entry;
    entry.resultId = resultId;
    entry.story = room.story ? *room.story : *namedStory;
    entry.estimate = estimate;
    entry.votes = currentVotes(room);
    std::vector<std::string> cards;
    for (const auto& vote : entry.votes) {
        cards.push_back(vote.card);
    }
    entry.stats = computeStats(cards, room.deck);
    entry.rounds = room.round;
    entry.earlierRounds = room.earlierRounds;
    // Strictly after the room's newest result, so the time alone orders a room's results
    // (a history rebuilt from sink rows keeps the order even for two finalizes in one
    // millisecond, or an instance whose clock is behind).
    entry.finalizedAtMs = room.history.empty()
                              ? context.nowMs
                              : std::max(context.nowMs, room.history.back().finalizedAtMs + 1);
    entry.participants = static_cast<int>(room.participants.size());

    Room next = room;
    std::optional<Story> nextStory;
    if (!next.queue.empty()) {
        nextStory = next.queue.front();
        next.queue.erase(next.queue.begin());
    }
    startStory(next, std::move(nextStory));
    const std::string record = renderSinkRecord(room, entry);
    auto& history = next.history.mutate();
    history.push_back(std::move(entry));
    if (history.size() > kMaxStoredHistory) {
        history.erase(history.begin());
    }
    Outcome outcome = commit(std::move(next));
    outcome.finalizedResultJson = record;
    return outcome;
}

Outcome applyTimer(const Room& room, const Command& command, const RuleContext& context) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "timer");
    const auto seconds = fields.requiredInteger("seconds");
    const auto autoReveal = fields.optionalBool("autoReveal");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (*seconds < 0 || *seconds > kMaxTimerSeconds) {
        return reject(room, ErrorCode::badMessage,
                      "timer: seconds must be 0 (stop) or 1.." + std::to_string(kMaxTimerSeconds) +
                          ", not " + std::to_string(*seconds));
    }
    Room next = room;
    if (*seconds == 0) {
        if (!room.timer) {
            return unchanged(room);
        }
        next.timer.reset();
        return commit(std::move(next));
    }
    Timer timer;
    timer.startedAtMs = context.nowMs;
    timer.endsAtMs = context.nowMs + *seconds * 1000;
    timer.seconds = *seconds;
    timer.autoReveal = autoReveal.value_or(false);
    next.timer = timer;
    return commit(std::move(next));
}

}  // namespace fp::room::rules
