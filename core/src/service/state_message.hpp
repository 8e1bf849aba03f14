// The `state` message of PROTOCOL.md ({cause, room, serverTime, type}), written straight to
// text once per change: the fan-out sends these bytes to every connection of the room.
#pragma once

#include <cstdint>
#include <string>

#include "room/room_model.hpp"
#include "room/room_rules.hpp"

namespace fp::service {

// `before` and `after` tell the server's own changes apart (a sweep that revealed, a timer
// that ran out, presence); `actorId` empty = the server's own change (`by` null).
std::string renderStateMessage(const room::Room& before, const room::Room& after,
                               const room::Command& command, const std::string& actorId,
                               std::int64_t serverTimeMs);

}  // namespace fp::service
