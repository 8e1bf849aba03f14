// The SDK's storage and bus conformance kits against storage-redis and bus-redis on a
// redis-server in cluster mode (all 16384 slots on one node). Redis then refuses, with
// CROSSSLOT, any script or command whose keys lie in more than one hash slot, as a real
// Redis Cluster does: these cases fail if a script's keys ever span two slots.
#include <atomic>
#include <memory>
#include <mutex>

#include "bus_manifest.hpp"
#include "firepoker/testkit/bus_conformance.hpp"
#include "firepoker/testkit/storage_conformance.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"

namespace {
fp::testing::RedisTestServer& clusterModeServer() {
    static std::mutex mutex;
    static std::unique_ptr<fp::testing::RedisTestServer> instance;
    std::lock_guard<std::mutex> lock(mutex);
    if (!instance) {
        fp::testing::RedisTestServer::Options options;
        options.clusterMode = true;
        instance = std::make_unique<fp::testing::RedisTestServer>(options);
    }
    return *instance;
}

std::shared_ptr<fp::sdk::Storage> makeStorage() {
    static std::atomic<int> counter{0};
    return std::make_shared<fp::plugins::redis::RedisStorage>(
        fp::testing::contextFor(fp::plugins::redis::storageRedisManifest(),
                                {{"url", clusterModeServer().url()},
                                 {"keyPrefix", "cluster" + std::to_string(++counter)}}));
}

std::shared_ptr<fp::sdk::Bus> makeBus() {
    return std::make_shared<fp::plugins::redis::RedisBus>(
        fp::testing::contextFor(fp::plugins::redis::busRedisManifest(),
                                {{"url", clusterModeServer().url()}, {"keyPrefix", "clusterbus"}}));
}

const bool storageKit =
    fp::testkit::registerStorageConformance("storage-redis (cluster mode)", makeStorage);
const bool busKit = fp::testkit::registerBusConformance("bus-redis (cluster mode)", makeBus);
}  // namespace
