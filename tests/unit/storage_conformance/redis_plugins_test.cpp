// The same conformance kits against storage-redis and bus-redis, on a real redis-server
// started for this test process, and again over TLS (rediss://) on a redis-server serving
// TLS only, with the test CA as tlsCaFile. Each storage gets a key prefix of its own.
#include <atomic>
#include <memory>
#include <mutex>

#include "built_plugins.hpp"
#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/testkit/bus_conformance.hpp"
#include "firepoker/testkit/storage_conformance.hpp"
#include "redis_test_server.hpp"
#include "test_certificates.hpp"

namespace {
fp::testing::RedisTestServer& server() {
    static std::mutex mutex;
    static std::unique_ptr<fp::testing::RedisTestServer> instance;
    std::lock_guard<std::mutex> lock(mutex);
    if (!instance)
        instance = std::make_unique<fp::testing::RedisTestServer>();
    return *instance;
}

std::string options(const std::string& prefix) {
    return R"({"url":")" + server().url() + R"(","keyPrefix":")" + prefix + R"("})";
}

std::shared_ptr<fp::sdk::Storage> makeStorage() {
    static std::atomic<int> counter{0};
    return fp::testing::makeBuilt<fp::sdk::Storage>("storage-redis",
                                                    options("kit" + std::to_string(++counter)));
}

std::shared_ptr<fp::sdk::Bus> makeBus() {
    return fp::testing::makeBuilt<fp::sdk::Bus>("bus-redis", options("kitbus"));
}

fp::testing::RedisTestServer& tlsServer() {
    static std::mutex mutex;
    static std::unique_ptr<fp::testing::RedisTestServer> instance;
    std::lock_guard<std::mutex> lock(mutex);
    if (!instance)
        instance = std::make_unique<fp::testing::RedisTestServer>(
            fp::testing::RedisTestServer::tlsOptions());
    return *instance;
}

std::string tlsOptions(const std::string& prefix) {
    return R"({"url":")" + tlsServer().url() + R"(","tlsCaFile":")" +
           fp::testing::sharedCertificates().caFile() + R"(","keyPrefix":")" + prefix + R"("})";
}

std::shared_ptr<fp::sdk::Storage> makeTlsStorage() {
    static std::atomic<int> counter{0};
    return fp::testing::makeBuilt<fp::sdk::Storage>(
        "storage-redis", tlsOptions("tlskit" + std::to_string(++counter)));
}

std::shared_ptr<fp::sdk::Bus> makeTlsBus() {
    return fp::testing::makeBuilt<fp::sdk::Bus>("bus-redis", tlsOptions("tlskitbus"));
}

const bool storageKit = fp::testkit::registerStorageConformance("storage-redis", makeStorage);
const bool busKit = fp::testkit::registerBusConformance("bus-redis", makeBus);
const bool tlsStorageKit =
    fp::testkit::registerStorageConformance("storage-redis (TLS)", makeTlsStorage);
const bool tlsBusKit = fp::testkit::registerBusConformance("bus-redis (TLS)", makeTlsBus);
}  // namespace
