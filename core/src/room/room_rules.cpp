#include "room/room_rules.hpp"

#include <algorithm>
#include <iterator>

#include "room/decks.hpp"
#include "room/public_state.hpp"
#include "room/result_stats.hpp"
#include "room/rules_internal.hpp"
#include "room/text_validation.hpp"

namespace fp::room {
namespace rules {

std::string quoted(const std::string& text) {
    auto decoded = decodeUtf8(text);
    if (!decoded) {
        return "(text that is not UTF-8)";
    }
    if (decoded->size() > 32) {
        return "\"" + encodeUtf8(std::u32string_view(*decoded).substr(0, 32)) + "...\"";
    }
    return "\"" + text + "\"";
}

Outcome reject(const Room& room, ErrorCode code, const std::string& message) {
    Outcome outcome;
    outcome.error = code;
    outcome.errorMessage = message;
    outcome.room = room;
    return outcome;
}

Outcome unchanged(const Room& room) {
    Outcome outcome;
    outcome.room = room;
    return outcome;
}

Outcome commit(Room room) {
    Outcome outcome;
    outcome.changed = true;
    outcome.room = std::move(room);
    return outcome;
}

const Participant* actorOf(const Room& room, const Command& command) {
    return command.actorId.empty() ? nullptr : findParticipant(room, command.actorId);
}

bool isController(const Room& room, const std::string& participantId) {
    if (findParticipant(room, participantId) == nullptr) {
        return false;
    }
    return !room.settings.hostOnly || isFacilitator(room, participantId);
}

std::optional<Outcome> checkActor(const Room& room, const Command& command) {
    if (actorOf(room, command) == nullptr) {
        return reject(room, ErrorCode::notJoined,
                      std::string(wireName(command.kind)) + ": join the room first");
    }
    return std::nullopt;
}

std::optional<Outcome> checkController(const Room& room, const Command& command) {
    if (auto denied = checkActor(room, command)) {
        return denied;
    }
    if (!isController(room, command.actorId)) {
        return reject(room, ErrorCode::forbidden,
                      std::string(wireName(command.kind)) +
                          ": only the facilitator may do this while hostOnly is on");
    }
    return std::nullopt;
}

std::optional<Outcome> checkFacilitator(const Room& room, const Command& command) {
    if (auto denied = checkActor(room, command)) {
        return denied;
    }
    if (!isFacilitator(room, command.actorId)) {
        return reject(room, ErrorCode::forbidden,
                      std::string(wireName(command.kind)) + ": only the facilitator may do this");
    }
    return std::nullopt;
}

void clearVotes(Room& room) {
    for (auto& p : room.participants) {
        p.card.reset();
    }
}

void reveal(Room& room) {
    room.stage = Stage::revealed;
    room.timer.reset();
}

void startNextRound(Room& room) {
    if (room.stage == Stage::revealed) {
        RoundRecord record;
        record.round = room.round;
        record.votes = currentVotes(room);
        std::vector<std::string> cards;
        for (const auto& vote : record.votes) {
            cards.push_back(vote.card);
        }
        record.stats = computeStats(cards, room.deck);
        room.earlierRounds.push_back(std::move(record));
        if (room.earlierRounds.size() > kMaxEarlierRounds) {
            room.earlierRounds.erase(room.earlierRounds.begin());
        }
    }
    clearVotes(room);
    room.stage = Stage::voting;
    room.round += 1;
    room.timer.reset();
}

void startStory(Room& room, std::optional<Story> story) {
    room.story = std::move(story);
    clearVotes(room);
    room.stage = Stage::voting;
    room.round = 1;
    room.earlierRounds.clear();
    room.timer.reset();
}

void addConnection(Participant& participant, const std::string& instanceId) {
    participant.connections[instanceId] += 1;
    participant.offlineSince.reset();
}

void removeParticipant(Room& room, const std::string& participantId) {
    auto found = std::find_if(room.participants.begin(), room.participants.end(),
                              [&](const Participant& p) { return p.id == participantId; });
    if (found == room.participants.end()) {
        return;
    }
    room.participants.erase(found);
    if (!isDeparted(room, participantId)) {
        auto& departed = room.departed.mutate();
        departed.push_back(participantId);
        if (departed.size() > kMaxDeparted) {
            departed.erase(departed.begin());
        }
    }
    if (room.facilitatorId != participantId) {
        return;
    }
    // Participants are kept in order of arrival: the first online one has been present longest.
    room.facilitatorId.clear();
    auto online = std::find_if(room.participants.begin(), room.participants.end(),
                               [](const Participant& p) { return p.online(); });
    if (online != room.participants.end()) {
        room.facilitatorId = online->id;
    } else if (!room.participants.empty()) {
        room.facilitatorId = room.participants.front().id;
    }
}

bool timerExpiryDue(const Room& room, std::int64_t nowMs) {
    return room.timer && !room.timer->expired && nowMs >= room.timer->endsAtMs;
}

Outcome applyPing(const Room& room, const Command&, const RuleContext&) {
    return unchanged(room);
}

}  // namespace rules

Room newRoom(const std::string& roomId, std::int64_t nowMs) {
    Room room;
    room.id = roomId;
    room.name = roomId;
    room.createdAtMs = nowMs;
    room.deck = *findDeckPreset(kDefaultDeckName);
    room.settings.deckName = kDefaultDeckName;
    return room;
}

bool autoRevealDue(const Room& room) {
    if (!room.settings.autoReveal || room.stage != Stage::voting) {
        return false;
    }
    bool anyVote = false;
    for (const auto& p : room.participants) {
        anyVote = anyVote || p.card.has_value();
        if (p.online() && canVote(p) && !p.card) {
            return false;
        }
    }
    return anyVote;
}

Outcome applyCommand(const Room& room, const Command& command, const RuleContext& context) {
    using Handler = Outcome (*)(const Room&, const Command&, const RuleContext&);
    // By CommandKind, in the enum's order; resync is no change (null: unknown_type).
    static constexpr Handler kHandlers[] = {
        rules::applyJoin,       rules::applyVote,
        rules::applyUnvote,     rules::applyReveal,
        rules::applyReset,      rules::applyStory,
        rules::applyQueueAdd,   rules::applyQueueRemove,
        rules::applyFinalize,   rules::applySettings,
        rules::applyTimer,      rules::applyHandover,
        rules::applyRename,     rules::applyRole,
        rules::applyKick,       rules::applyPing,
        rules::applyDisconnect, rules::applyAutoReveal,
        rules::applySweep,      nullptr,
    };
    static_assert(std::size(kHandlers) == static_cast<std::size_t>(CommandKind::resync) + 1,
                  "one handler per CommandKind");
    const Handler handler = kHandlers[static_cast<std::size_t>(command.kind)];
    if (handler == nullptr || (!isClientCommand(command.kind) && !command.message.isNull())) {
        return rules::reject(
            room, ErrorCode::unknownType,
            "unknown message type " + rules::quoted(std::string(wireName(command.kind))));
    }
    Outcome outcome = handler(room, command, context);
    if (!outcome.ok() || !outcome.changed) {
        outcome.changed = false;
        return outcome;
    }
    if (command.kind != CommandKind::autoReveal && autoRevealDue(outcome.room)) {
        outcome.followUps.push_back(CommandKind::autoReveal);
    }
    return outcome;
}

std::optional<std::int64_t> nextDueMs(const Room& room, const RuleContext& context) {
    std::optional<std::int64_t> due;
    auto consider = [&](std::int64_t at) { due = due ? std::min(*due, at) : at; };
    for (const auto& p : room.participants) {
        if (context.liveInstances) {
            const auto& live = *context.liveInstances;
            for (const auto& entry : p.connections) {
                if (entry.first != context.instanceId &&
                    std::find(live.begin(), live.end(), entry.first) == live.end()) {
                    consider(context.nowMs);
                }
            }
        }
        if (context.localConnections) {
            auto local = context.localConnections->find(p.id);
            auto counted = p.connections.find(context.instanceId);
            if (local != context.localConnections->end() && local->second > 0 &&
                (counted == p.connections.end() || counted->second < local->second)) {
                consider(context.nowMs);
            }
        }
        if (p.offlineSince) {
            consider(*p.offlineSince + context.graceMs);
        }
    }
    if (room.timer && !room.timer->expired) {
        consider(room.timer->endsAtMs);
    }
    return due;
}

}  // namespace fp::room
