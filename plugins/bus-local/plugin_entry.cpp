#include "firepoker/sdk/export.hpp"
#include "local_bus.hpp"

namespace {
fp::sdk::Manifest busLocalManifest() {
    fp::sdk::Manifest m;
    m.name = "bus-local";
    m.version = "1.0.0";
    m.description = "In-process bus for a single server instance";
    m.capabilities = {fp::sdk::capability::answersFromMemory};
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::plugins::localbus::LocalBus, busLocalManifest)
