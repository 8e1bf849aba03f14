#include "service/state_message.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "room/json_writer.hpp"
#include "room/public_state_writer.hpp"
#include "room/time_format.hpp"

namespace fp::service {
namespace {

// The cause as PROTOCOL.md shows it: the message type and who sent it; the server's own
// changes have `by` null and say why in `reason` (an addition). Keys in the order a
// Poco::JSON::Object (sorted keys) wrote them before, so the bytes did not change.
void writeCause(room::json::Writer& out, const room::Room& before, const room::Room& after,
                const room::Command& command, const std::string& actorId) {
    std::string type = command.type;
    const char* reason = nullptr;
    if (command.type == "autoReveal") {
        type = "reveal";
        reason = "allVoted";
    } else if (command.type == "sweep") {
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
    if ((command.type == "kick" || command.type == "handover") && command.message &&
        command.message->has("participantId")) {
        const auto target = command.message->get("participantId");
        out.key("target");
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

}  // namespace

std::string renderStateMessage(const room::Room& before, const room::Room& after,
                               const room::Command& command, const std::string& actorId,
                               std::int64_t serverTimeMs) {
    std::string text;
    text.reserve(2048 + after.participants.size() * 128);
    room::json::Writer out(text);
    out.beginObject().key("cause");
    writeCause(out, before, after, command, actorId);
    out.key("room");
    room::writePublicState(out, after);
    out.key("serverTime").string(room::formatIsoUtcMs(serverTimeMs));
    out.key("type").string("state");
    out.endObject();
    return text;
}

}  // namespace fp::service
