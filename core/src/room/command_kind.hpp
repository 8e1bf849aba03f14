// Every kind of command a room knows, typed inside the core. The one table in command_kind.cpp
// says which ones a client may send and what the wire calls them; the gateway, the rules and
// the `state` message's cause all read it, so the list of client commands exists once.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fp::room {

enum class CommandKind : std::uint8_t {
    // From clients (PROTOCOL.md "Client to server").
    join,
    vote,
    unvote,
    reveal,
    reset,
    story,
    queueAdd,
    queueRemove,
    finalize,
    settings,
    timer,
    handover,
    rename,
    role,
    kick,
    ping,
    // The server's own: never accepted from a client.
    disconnect,  // a connection closed
    autoReveal,  // every online voter has voted
    sweep,       // timers, grace periods, dead instances
    resync,      // not a change: the cause of a state resent after the bus may have lost one
};

// The protocol's name ("queue.add", "vote", ...); the server's own have names too, for logs.
std::string_view wireName(CommandKind kind);

// The kind a client's `type` names; nullopt for unknown types and for the server's own kinds
// (so a client that sends {"type":"sweep"} gets unknown_type).
std::optional<CommandKind> clientCommandKind(std::string_view type);

// Whether a client may send it (true for join..ping).
bool isClientCommand(CommandKind kind);

}  // namespace fp::room
