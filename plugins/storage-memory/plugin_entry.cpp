#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"
#include "memory_storage.hpp"

namespace {
fp::sdk::Manifest storageMemoryManifest() {
    fp::sdk::Manifest m;
    m.name = "storage-memory";
    m.version = "1.0.0";
    m.description = "Rooms, outbox and presence in process memory (one instance; lost on restart)";
    m.options = {
        fp::sdk::option::integer("maxRooms", 100000,
                                 "rooms held at most; creating one more answers unavailable")
            .atLeast(1)};
    m.capabilities = {fp::sdk::capability::answersFromMemory};
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::plugins::memory::MemoryStorage, storageMemoryManifest)
