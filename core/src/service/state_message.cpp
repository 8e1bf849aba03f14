#include "service/state_message.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "room/decks.hpp"
#include "room/json_writer.hpp"
#include "room/public_state.hpp"
#include "room/time_format.hpp"

namespace fp::service {
namespace {
using room::CommandKind;

// The cause as PROTOCOL.md shows it: the message type and who sent it; the server's own
// changes have `by` null and say why in `reason` (an addition). Keys in sorted order, as
// this message has always been written.
void writeCause(room::json::Writer& out, const room::Room& before, const room::Room& after,
                const room::Command& command, const std::string& actorId) {
    std::string_view type = wireName(command.kind);
    const char* reason = nullptr;
    if (command.kind == CommandKind::autoReveal) {
        type = "reveal";
        reason = "allVoted";
    } else if (command.kind == CommandKind::sweep) {
        const bool revealed =
            before.stage == room::Stage::voting && after.stage == room::Stage::revealed;
        const bool timerExpired =
            before.timer && !before.timer->expired && after.timer && after.timer->expired;
        if (revealed) {
            type = "reveal";
            reason = "timer";
        } else if (timerExpired) {
            type = "timer";
            reason = "expired";
        } else {
            type = "presence";
            reason = "presence";
        }
    }
    out.beginObject().key("by");
    if (actorId.empty())
        out.null();
    else
        out.string(actorId);
    if (reason != nullptr)
        out.key("reason").string(reason);
    if ((command.kind == CommandKind::kick || command.kind == CommandKind::handover) &&
        command.message && command.message->has("participantId")) {
        out.key("target");
        const auto target = command.message->get("participantId");
        if (target.isString()) {
            out.string(target.extract<std::string>());
        } else {
            std::ostringstream text;
            Poco::JSON::Stringifier::stringify(target, text);
            out.raw(text.str());
        }
    }
    out.key("type").string(type).endObject();
}

void writeRid(room::json::Writer& out, const Poco::Dynamic::Var& rid) {
    out.key("rid");
    if (rid.isString()) {
        out.string(rid.extract<std::string>());
    } else if (rid.isInteger() && rid.isSigned()) {
        out.integer(rid.convert<Poco::Int64>());
    } else if (rid.isInteger()) {
        out.unsignedInteger(rid.convert<Poco::UInt64>());
    } else {
        out.number(rid.convert<double>());
    }
}

// {"fibonacci":[...],...}: the presets, in the order the server lists them, written once.
const std::string& deckPresetsJson() {
    static const std::string text = [] {
        std::string json;
        room::json::Writer out(json);
        room::writeDeckPresets(out);
        return json;
    }();
    return text;
}

}  // namespace

std::string renderStateMessage(const room::Room& before, const room::Room& after,
                               const room::Command& command, const std::string& actorId,
                               std::string_view roomJson, std::int64_t serverTimeMs) {
    std::string text;
    text.reserve(roomJson.size() + 160);
    room::json::Writer out(text);
    out.beginObject().key("cause");
    writeCause(out, before, after, command, actorId);
    out.key("room").raw(roomJson);
    out.key("serverTime").string(room::formatIsoUtcMs(serverTimeMs));
    out.key("type").string("state");
    out.endObject();
    return text;
}

std::string renderWelcomeMessage(const room::Room& room, const std::string& participantId,
                                 const std::string& resumeToken, std::string_view roomJson,
                                 std::int64_t serverTimeMs) {
    std::string text;
    text.reserve(roomJson.size() + deckPresetsJson().size() + 256);
    room::json::Writer out(text);
    out.beginObject();
    out.key("type").string("welcome");
    out.key("participantId").string(participantId);
    out.key("resumeToken").string(resumeToken);
    out.key("you");
    room::writeYou(out, room, participantId);
    out.key("room").raw(roomJson);
    out.key("decks").raw(deckPresetsJson());
    out.key("serverTime").string(room::formatIsoUtcMs(serverTimeMs));
    out.endObject();
    return text;
}

std::string renderAckMessage(const Poco::Dynamic::Var& rid) {
    std::string text;
    room::json::Writer out(text);
    out.beginObject();
    if (!rid.isEmpty())
        writeRid(out, rid);
    out.key("type").string("ack").endObject();
    return text;
}

std::string renderPongMessage(const Poco::Dynamic::Var& rid) {
    std::string text;
    room::json::Writer out(text);
    out.beginObject();
    if (!rid.isEmpty())
        writeRid(out, rid);
    out.key("type").string("pong").endObject();
    return text;
}

std::string renderErrorMessage(room::ErrorCode code, std::string_view message,
                               const Poco::Dynamic::Var& rid) {
    std::string text;
    room::json::Writer out(text);
    out.beginObject();
    out.key("code").string(room::wireName(code));
    out.key("message").string(message);
    if (!rid.isEmpty())
        writeRid(out, rid);
    out.key("type").string("error").endObject();
    return text;
}

}  // namespace fp::service
