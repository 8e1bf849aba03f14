// Test helpers: a room driven the way the service drives it (commit = version + 1, follow-ups
// applied next), with JSON written as text.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <catch2/catch.hpp>

#include "room/json_util.hpp"
#include "room/public_state.hpp"
#include "room/room.hpp"

namespace Catch {
template <>
struct StringMaker<fp::room::ErrorCode> {
    static std::string convert(fp::room::ErrorCode code) {
        const auto name = fp::room::wireName(code);
        return name.empty() ? "none" : std::string(name);
    }
};
template <>
struct StringMaker<fp::room::CommandKind> {
    static std::string convert(fp::room::CommandKind kind) {
        return std::string(fp::room::wireName(kind));
    }
};
}  // namespace Catch

namespace fp::room::test {

// 2026-11-28T09:00:00.000Z
inline constexpr std::int64_t kT0 = 1795856400000;

inline Poco::JSON::Object::Ptr parse(const std::string& text) {
    return json::parseObject(text, "test");
}

inline std::string text(const Poco::JSON::Object::Ptr& object) {
    return json::stringify(object);
}

// Any kind by its wire name, the server's own included (tests drive the rules directly).
inline CommandKind kindNamed(const std::string& type) {
    for (auto k = 0; k <= static_cast<int>(CommandKind::resync); ++k) {
        const auto kind = static_cast<CommandKind>(k);
        if (wireName(kind) == type)
            return kind;
    }
    FAIL("no command kind is called " << type);
    return CommandKind::ping;
}

// welcome.you, as the writer sends it.
inline Poco::JSON::Object::Ptr youOf(const Room& room, const std::string& participantId) {
    std::string out;
    json::Writer writer(out);
    writeYou(writer, room, participantId);
    return parse(out);
}

class RoomHarness {
  public:
    explicit RoomHarness(const std::string& id = "team-alpha") : room(newRoom(id, kT0)) {
        context.nowMs = kT0;
        context.instanceId = "i1";
    }

    // Sends a client message {"type": type, ...fields} as `actor`; commits when it changed.
    Outcome send(const std::string& actor, const std::string& type,
                 const std::string& fields = "{}") {
        Command command;
        command.kind = kindNamed(type);
        command.message = parse(fields);
        command.message->set("type", type);
        command.actorId = actor;
        return apply(command);
    }

    // A server command (null message).
    Outcome internal(const std::string& type, const std::string& actor = "") {
        Command command;
        command.kind = kindNamed(type);
        command.actorId = actor;
        return apply(command);
    }

    Outcome joinWith(const std::string& fields, const std::string& resumeId = "",
                     const std::string& resumeHash = "") {
        Command command;
        command.kind = CommandKind::join;
        command.message = parse(fields);
        command.message->set("type", "join");
        command.resumeParticipantId = resumeId;
        command.resumeTokenHash = resumeHash;
        ++counter;
        context.newParticipantId = "p_" + std::to_string(counter);
        context.newResumeTokenHash = "hash-p_" + std::to_string(counter);
        return apply(command);
    }

    // Joins a new participant and returns its id (fails the test when the join fails).
    std::string join(const std::string& name, const std::string& role = "voter") {
        auto outcome = joinWith(R"({"room":")" + room.id + R"(","name":")" + name +
                                R"(","role":")" + role + R"("})");
        INFO(wireName(outcome.error) << " " << outcome.errorMessage);
        REQUIRE(outcome.ok());
        return outcome.participantId;
    }

    // Resumes an existing seat with its stored token hash ("hash-<id>").
    Outcome resume(const std::string& id, const std::string& name = "Back") {
        return joinWith(R"({"room":")" + room.id + R"(","name":")" + name +
                            R"(","participantId":")" + id + R"(","resumeToken":"tok-)" + id +
                            R"(-0123456789abcdef"})",
                        id, "hash-" + id);
    }

    void vote(const std::string& actor, const std::string& card) {
        auto outcome = send(actor, "vote", R"({"card":")" + card + R"("})");
        INFO(wireName(outcome.error) << " " << outcome.errorMessage);
        REQUIRE(outcome.ok());
    }

    void ok(const Outcome& outcome) {
        INFO(wireName(outcome.error) << " " << outcome.errorMessage);
        REQUIRE(outcome.ok());
    }

    Outcome apply(const Command& command) {
        context.newResultId = "r_" + std::to_string(++resultCounter);
        Outcome outcome = applyCommand(room, command, context);
        if (outcome.ok() && outcome.changed) {
            room = outcome.room;
            room.version += 1;
            if (applyFollowUps) {
                for (const auto& followUp : outcome.followUps) {
                    Command server;
                    server.kind = followUp;
                    Outcome next = applyCommand(room, server, context);
                    if (next.ok() && next.changed) {
                        room = next.room;
                        room.version += 1;
                    }
                }
            }
        }
        return outcome;
    }

    // The RoomState as clients receive it (the wire bytes, parsed).
    Poco::JSON::Object::Ptr state() const { return parse(publicStateJson(room)); }
    std::string stateText() const { return publicStateJson(room); }
    const Participant& participant(const std::string& id) const {
        const Participant* p = findParticipant(room, id);
        REQUIRE(p != nullptr);
        return *p;
    }

    Room room;
    RuleContext context;
    bool applyFollowUps = true;
    int counter = 0;
    int resultCounter = 0;
};

// The participant entry with this id in a rendered RoomState.
inline Poco::JSON::Object::Ptr publicParticipant(const Poco::JSON::Object::Ptr& state,
                                                 const std::string& id) {
    auto participants = state->getArray("participants");
    for (std::size_t i = 0; i < participants->size(); ++i) {
        auto p = participants->getObject(static_cast<unsigned>(i));
        if (p->getValue<std::string>("id") == id) {
            return p;
        }
    }
    FAIL("participant " << id << " is not in the state");
    return nullptr;
}

}  // namespace fp::room::test
