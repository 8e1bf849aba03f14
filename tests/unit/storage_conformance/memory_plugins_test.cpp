// The conformance kits against the embedded default: storage-memory and bus-local, loaded
// from the build's plugins folder by the server's loader.
#include "built_plugins.hpp"
#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/testkit/bus_conformance.hpp"
#include "firepoker/testkit/storage_conformance.hpp"

namespace {
const bool storageKit = fp::testkit::registerStorageConformance(
    "storage-memory", [] { return fp::testing::makeBuilt<fp::sdk::Storage>("storage-memory"); });

fp::testkit::BusConformanceOptions inProcess() {
    fp::testkit::BusConformanceOptions options;
    options.crossInstance = false;  // one process, one bus
    return options;
}

const bool busKit = fp::testkit::registerBusConformance(
    "bus-local", [] { return fp::testing::makeBuilt<fp::sdk::Bus>("bus-local"); }, inProcess());
}  // namespace
