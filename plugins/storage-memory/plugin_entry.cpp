#include "firepoker/sdk/export.hpp"
#include "memory_storage.hpp"

namespace {
fp::sdk::Manifest storageMemoryManifest() {
    fp::sdk::Manifest m;
    m.name = "storage-memory";
    m.version = "1.0.0";
    m.description = "Rooms, outbox and presence in process memory (one instance; lost on restart)";
    fp::sdk::OptionSpec maxRooms;
    maxRooms.name = "maxRooms";
    maxRooms.type = fp::sdk::OptionType::integer;
    maxRooms.defaultValue = "100000";
    maxRooms.minimum = 1;
    maxRooms.description = "rooms held at most; creating one more answers unavailable";
    m.options.push_back(maxRooms);
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::plugins::memory::MemoryStorage, storageMemoryManifest)
