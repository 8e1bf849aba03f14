// Client messages through the parser and the room rules. The input is one or more messages,
// one a line; each is applied by a participant picked in turn. Every changed room must survive
// a round trip through the stored document. Every message the server would send for a line
// (error, ack, pong, welcome, state) must be valid UTF-8 and one valid JSON object with a
// `type`, whatever bytes the line held: a client would otherwise fail the connection (1007).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include <Poco/JSON/Parser.h>

#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room/room_rules.hpp"
#include "room/text_validation.hpp"
#include "service/client_message.hpp"
#include "service/state_message.hpp"

namespace {
using namespace fp::room;

RuleContext contextAt(std::int64_t nowMs, const std::string& newId) {
    RuleContext context;
    context.nowMs = nowMs;
    context.instanceId = "i1";
    context.maxParticipants = 6;
    context.graceMs = 1000;
    context.liveInstances = std::vector<std::string>{"i1"};
    context.newParticipantId = newId;
    context.newResumeTokenHash = "hash-" + newId;
    context.newResultId = "r_" + std::to_string(nowMs);
    return context;
}

Room joined(Room room, const std::string& id, const std::string& name, const char* role) {
    Command join;
    join.kind = CommandKind::join;
    join.message = new Poco::JSON::Object();
    join.message->set("room", room.id);
    join.message->set("name", name);
    join.message->set("role", role);
    auto outcome = applyCommand(room, join, contextAt(1000, id));
    if (!outcome.ok() || !outcome.changed)
        std::abort();
    outcome.room.version = room.version + 1;
    return outcome.room;
}

const Room& baseRoom() {
    static const Room room = [] {
        Room r = newRoom("fuzz", 0);
        r = joined(r, "p_a", "Aiko", "voter");
        r = joined(r, "p_b", "Ben", "voter");
        r = joined(r, "p_c", "Chie", "observer");
        return r;
    }();
    return room;
}

void checkRoundTrip(const Room& room) {
    const std::string stored = encodeRoom(room);
    Room back = decodeRoom(stored);
    back.version = room.version;
    if (!(back == room))
        std::abort();
}

// What a client would receive: valid UTF-8, one JSON object, with a string `type`.
void checkSent(const std::string& message) {
    if (!isValidUtf8(message))
        std::abort();
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(message);
        if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
            std::abort();
        auto object = parsed.extract<Poco::JSON::Object::Ptr>();
        if (!object->has("type") || !object->get("type").isString())
            std::abort();
    } catch (const Poco::Exception&) {
        std::abort();
    }
}

// The server's own commands, reachable here (not from clients) with the empty actor.
std::optional<CommandKind> serverKind(const std::string& type) {
    for (const auto kind : {CommandKind::disconnect, CommandKind::autoReveal, CommandKind::sweep}) {
        if (wireName(kind) == type)
            return kind;
    }
    return std::nullopt;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const char* actors[] = {"p_a", "p_b", "p_c", ""};
    const std::string input(reinterpret_cast<const char*>(data), size);

    // A stored document from elsewhere must be refused with an exception, never a crash.
    try {
        checkRoundTrip(decodeRoom(input));
    } catch (const std::exception&) {
    }

    Room room = baseRoom();
    std::istringstream lines(input);
    std::string line;
    std::int64_t now = 2000;
    for (std::size_t i = 0; std::getline(lines, line) && i < 32; ++i) {
        auto parsed = fp::service::parseClientMessage(line);
        const char* actor = actors[i % 4];
        Command command;
        command.actorId = actor;
        if (parsed.ok()) {
            command.kind = *parsed.kind;
            command.message = parsed.body;
        } else {
            checkSent(
                fp::service::renderErrorMessage(parsed.error, parsed.errorMessage, parsed.rid));
            // The server's own commands come without a message, from nobody.
            auto own = *actor == '\0' && parsed.body ? serverKind(parsed.type) : std::nullopt;
            if (!own)
                continue;
            command.kind = *own;
        }
        if (command.kind == CommandKind::ping) {
            checkSent(fp::service::renderPongMessage(parsed.rid));
            continue;
        }
        if (command.kind == CommandKind::join && parsed.body->has("participantId")) {
            command.resumeParticipantId = parsed.body->optValue<std::string>("participantId", "");
            command.resumeTokenHash = "hash-" + command.resumeParticipantId;
        }
        now += 700;
        auto outcome = applyCommand(room, command, contextAt(now, "p_n" + std::to_string(i)));
        if (!outcome.ok()) {
            checkSent(
                fp::service::renderErrorMessage(outcome.error, outcome.errorMessage, parsed.rid));
            continue;
        }
        checkSent(fp::service::renderAckMessage(parsed.rid.isEmpty() ? Poco::Dynamic::Var(1)
                                                                     : parsed.rid));
        if (!outcome.changed)
            continue;
        const Room before = room;
        outcome.room.version = room.version + 1;
        room = outcome.room;
        checkRoundTrip(room);
        const std::string roomJson = publicStateJson(room);
        const std::string& by =
            command.kind == CommandKind::join ? outcome.participantId : command.actorId;
        checkSent(fp::service::renderStateMessage(before, room, command, by, roomJson, now));
        if (command.kind == CommandKind::join)
            checkSent(
                fp::service::renderWelcomeMessage(room, outcome.participantId, "t", roomJson, now));
        if (outcome.finalizedResultJson && outcome.finalizedResultJson->empty())
            std::abort();
    }
    return 0;
}
