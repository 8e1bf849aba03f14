// settings, handover, rename, role, kick: the room and its people.
#include <set>

#include "room/decks.hpp"
#include "room/json_util.hpp"
#include "room/message_fields.hpp"
#include "room/rules_internal.hpp"
#include "room/text_validation.hpp"

namespace fp::room::rules {
namespace {

struct DeckChoice {
    std::vector<std::string> cards;
    std::string name;
};

// Reads settings.deck: a preset name or an array of 2..30 unique cards of 1..8 characters.
std::optional<Outcome> readDeck(const Room& room, const Poco::Dynamic::Var& value,
                                DeckChoice& choice) {
    if (json::isString(value)) {
        const std::string name = value.extract<std::string>();
        auto preset = findDeckPreset(name);
        if (!preset) {
            return reject(room, ErrorCode::badMessage,
                          "settings: deck " + quoted(name) +
                              " is not a preset (fibonacci, modified, tshirt, powers) nor an "
                              "array of cards");
        }
        choice.cards = *preset;
        choice.name = name;
        return std::nullopt;
    }
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Array::Ptr) ||
        value.extract<Poco::JSON::Array::Ptr>().isNull()) {
        return reject(room, ErrorCode::badMessage,
                      "settings: deck must be a preset name or an array of cards");
    }
    const auto cards = value.extract<Poco::JSON::Array::Ptr>();
    if (cards->size() < kMinCustomDeck || cards->size() > kMaxCustomDeck) {
        return reject(room, ErrorCode::badMessage,
                      "settings: a custom deck has " + std::to_string(kMinCustomDeck) + ".." +
                          std::to_string(kMaxCustomDeck) + " cards, not " +
                          std::to_string(cards->size()));
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < cards->size(); ++i) {
        const auto card = cards->get(static_cast<unsigned>(i));
        const std::string where = "settings: deck[" + std::to_string(i) + "]";
        if (!json::isString(card)) {
            return reject(room, ErrorCode::badMessage, where + " must be a string");
        }
        const TextCheck check = checkText(card.extract<std::string>(), 1, kMaxCardLength);
        if (!check.ok) {
            return reject(room, ErrorCode::invalidCard, where + " " + check.problem);
        }
        if (!seen.insert(check.value).second) {
            return reject(room, ErrorCode::invalidCard,
                          where + " \"" + check.value + "\" is in the deck twice");
        }
        choice.cards.push_back(check.value);
    }
    choice.name = kCustomDeckName;
    return std::nullopt;
}

}  // namespace

Outcome applySettings(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkFacilitator(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "settings");
    const auto autoReveal = fields.optionalBool("autoReveal");
    const auto hostOnly = fields.optionalBool("hostOnly");
    const auto anonymous = fields.optionalBool("anonymous");
    const auto rawName = fields.optionalString("name");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    const bool hasDeck = fields.present("deck");
    if (!hasDeck && !autoReveal && !hostOnly && !anonymous && !rawName) {
        return reject(room, ErrorCode::badMessage,
                      "settings: give at least one of deck, autoReveal, hostOnly, anonymous, name");
    }
    DeckChoice deck;
    if (hasDeck) {
        if (auto problem = readDeck(room, fields.raw("deck"), deck)) {
            return *problem;
        }
    }
    std::string name = room.name;
    if (rawName) {
        const TextCheck check = checkText(*rawName, 0, kMaxNameLength);
        if (!check.ok) {
            return reject(room, ErrorCode::invalidName, "settings: name " + check.problem);
        }
        name = check.value.empty() ? room.id : check.value;
    }

    Room next = room;
    next.name = name;
    next.settings.autoReveal = autoReveal.value_or(room.settings.autoReveal);
    next.settings.hostOnly = hostOnly.value_or(room.settings.hostOnly);
    next.settings.anonymous = anonymous.value_or(room.settings.anonymous);
    if (hasDeck) {
        next.settings.deckName = deck.name;
        if (deck.cards != room.deck) {
            // The votes were for other cards: start the round again (a revealed one is kept).
            if (next.stage == Stage::revealed) {
                startNextRound(next);
            } else {
                clearVotes(next);
            }
            next.deck = deck.cards;
        }
    }
    if (next == room) {
        return unchanged(room);
    }
    return commit(std::move(next));
}

Outcome applyHandover(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkFacilitator(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "handover");
    const std::string target = fields.requiredString("participantId");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (findParticipant(room, target) == nullptr) {
        return reject(room, ErrorCode::badMessage,
                      "handover: participant " + quoted(target) + " is not in this room");
    }
    if (target == room.facilitatorId) {
        return unchanged(room);
    }
    Room next = room;
    next.facilitatorId = target;
    return commit(std::move(next));
}

Outcome applyRename(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkActor(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "rename");
    const std::string rawName = fields.requiredString("name");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    const TextCheck name = checkName(rawName);
    if (!name.ok) {
        return reject(room, ErrorCode::invalidName, "rename: name " + name.problem);
    }
    if (actorOf(room, command)->name == name.value) {
        return unchanged(room);
    }
    Room next = room;
    findParticipant(next, command.actorId)->name = name.value;
    return commit(std::move(next));
}

Outcome applyRole(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkActor(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "role");
    const std::string rawRole = fields.requiredString("role");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    Role role = Role::voter;
    if (rawRole == "observer") {
        role = Role::observer;
    } else if (rawRole != "voter") {
        return reject(room, ErrorCode::badMessage, "role: role must be voter or observer");
    }
    if (actorOf(room, command)->role == role) {
        return unchanged(room);
    }
    Room next = room;
    Participant* self = findParticipant(next, command.actorId);
    self->role = role;
    if (role == Role::observer) {
        self->card.reset();
    }
    return commit(std::move(next));
}

Outcome applyKick(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkFacilitator(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "kick");
    const std::string target = fields.requiredString("participantId");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (target == command.actorId) {
        return reject(room, ErrorCode::forbidden,
                      "kick: the facilitator cannot kick themselves; hand over first");
    }
    if (findParticipant(room, target) == nullptr) {
        return reject(room, ErrorCode::badMessage,
                      "kick: participant " + quoted(target) + " is not in this room");
    }
    Room next = room;
    removeParticipant(next, target);
    Outcome outcome = commit(std::move(next));
    outcome.removedParticipantIds.push_back(target);
    return outcome;
}

}  // namespace fp::room::rules
