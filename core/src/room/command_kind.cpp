#include "room/command_kind.hpp"

#include <array>

namespace fp::room {
namespace {

struct KindEntry {
    CommandKind kind;
    std::string_view wire;
    bool fromClients;
};

// In the enum's order: kKinds[static_cast<size_t>(kind)] is the kind's entry.
constexpr std::array<KindEntry, 20> kKinds = {{
    {CommandKind::join, "join", true},
    {CommandKind::vote, "vote", true},
    {CommandKind::unvote, "unvote", true},
    {CommandKind::reveal, "reveal", true},
    {CommandKind::reset, "reset", true},
    {CommandKind::story, "story", true},
    {CommandKind::queueAdd, "queue.add", true},
    {CommandKind::queueRemove, "queue.remove", true},
    {CommandKind::finalize, "finalize", true},
    {CommandKind::settings, "settings", true},
    {CommandKind::timer, "timer", true},
    {CommandKind::handover, "handover", true},
    {CommandKind::rename, "rename", true},
    {CommandKind::role, "role", true},
    {CommandKind::kick, "kick", true},
    {CommandKind::ping, "ping", true},
    {CommandKind::disconnect, "disconnect", false},
    {CommandKind::autoReveal, "autoReveal", false},
    {CommandKind::sweep, "sweep", false},
    {CommandKind::resync, "resync", false},
}};

constexpr bool tableInEnumOrder() {
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        if (static_cast<std::size_t>(kKinds[i].kind) != i)
            return false;
    }
    return true;
}
static_assert(tableInEnumOrder(), "kKinds must list the kinds in the enum's order");

}  // namespace

std::string_view wireName(CommandKind kind) {
    return kKinds[static_cast<std::size_t>(kind)].wire;
}

std::optional<CommandKind> clientCommandKind(std::string_view type) {
    for (const auto& entry : kKinds) {
        if (entry.fromClients && entry.wire == type)
            return entry.kind;
    }
    return std::nullopt;
}

bool isClientCommand(CommandKind kind) {
    return kKinds[static_cast<std::size_t>(kind)].fromClients;
}

}  // namespace fp::room
