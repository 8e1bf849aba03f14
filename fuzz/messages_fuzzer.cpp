// Client messages through the parser and the room rules. The input is one or more messages,
// one a line; each is applied by a participant picked in turn. Every changed room must survive
// a round trip through the stored document, and its public state must render.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room/room_rules.hpp"
#include "service/client_message.hpp"

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
    join.type = "join";
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
    std::ostringstream out;
    renderPublicState(room)->stringify(out);
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
        if (!parsed.errorCode.empty())
            continue;
        Command command;
        command.type = parsed.type;
        command.actorId = actors[i % 4];
        // The server's own commands come without a message; clients' always have one.
        if (!command.actorId.empty() || parsed.type == "join")
            command.message = parsed.body;
        if (parsed.type == "join" && parsed.body->has("participantId")) {
            command.resumeParticipantId = parsed.body->optValue<std::string>("participantId", "");
            command.resumeTokenHash = "hash-" + command.resumeParticipantId;
        }
        now += 700;
        auto outcome = applyCommand(room, command, contextAt(now, "p_n" + std::to_string(i)));
        if (!outcome.ok() || !outcome.changed)
            continue;
        outcome.room.version = room.version + 1;
        room = outcome.room;
        checkRoundTrip(room);
        if (outcome.finalizedResultJson && outcome.finalizedResultJson->empty())
            std::abort();
    }
    return 0;
}
