// The server's messages to clients, written straight to text once: `state` (to every
// connection of the room), `welcome`, `ack`, `error` and `pong`. Built on the one renderer of
// the public state (room/public_state.hpp): callers pass the room's JSON rendered once per
// version, so a join's welcome and the state of that join share the same bytes.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "room/error_code.hpp"
#include "room/room_model.hpp"
#include "room/room_rules.hpp"

namespace fp::service {

// {"cause":{...},"room":<roomJson>,"serverTime":...,"type":"state"}. `before` and `after`
// tell the server's own changes apart (a sweep that revealed, a timer that ran out,
// presence); `actorId` empty = the server's own change (`by` null).
std::string renderStateMessage(const room::Room& before, const room::Room& after,
                               const room::Command& command, const std::string& actorId,
                               std::string_view roomJson, std::int64_t serverTimeMs);

// {"type":"welcome","participantId","resumeToken","you","room":<roomJson>,"decks","serverTime"}
std::string renderWelcomeMessage(const room::Room& room, const std::string& participantId,
                                 const std::string& resumeToken, std::string_view roomJson,
                                 std::int64_t serverTimeMs);

// A client's rid: a string or a number; empty when the message had none.
std::string renderAckMessage(const Poco::Dynamic::Var& rid);
std::string renderPongMessage(const Poco::Dynamic::Var& rid);
std::string renderErrorMessage(room::ErrorCode code, std::string_view message,
                               const Poco::Dynamic::Var& rid);

}  // namespace fp::service
