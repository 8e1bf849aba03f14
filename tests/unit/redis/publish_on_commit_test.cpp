// storage-redis publishes each committed state on the channel bus-redis listens to.
#include <catch2/catch.hpp>

#include "bus_manifest.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"

using fp::plugins::redis::RedisBus;
using fp::plugins::redis::RedisStorage;
using fp::testing::BusRecorder;
using fp::testing::contextFor;
using fp::testing::eventually;

namespace {
fp::sdk::CommitResult commit(RedisStorage& storage, const std::string& room, std::uint64_t expected,
                             const std::string& payload) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "{}";
    r.publishPayload = payload;
    return storage.compareAndSwap(r);
}
}  // namespace

TEST_CASE("a commit publishes its state, with its version, to the room's subscribers",
          "[redis][bus]") {
    fp::testing::RedisTestServer server;
    RedisStorage storage(
        contextFor(fp::plugins::redis::storageRedisManifest(), {{"url", server.url()}}));
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(), {{"url", server.url()}}));
    BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(storage.start().ok());
    REQUIRE(bus.start().ok());
    CHECK(storage.publishesOnCommit());
    REQUIRE(bus.subscribe("team").ok());

    REQUIRE(commit(storage, "team", 0, "{\"type\":\"state\",\"n\":1}").status.ok());
    REQUIRE(commit(storage, "other", 0, "{\"type\":\"state\",\"other\":true}").status.ok());
    REQUIRE(commit(storage, "team", 1, "{\"type\":\"state\",\"n\":2}\nwith a newline").status.ok());
    // A lost compare-and-swap publishes nothing.
    REQUIRE(commit(storage, "team", 1, "{\"type\":\"state\",\"lost\":true}").status.code ==
            fp::sdk::StatusCode::conflict);
    REQUIRE(eventually([&] { return recorder.states().size() >= 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto states = recorder.states();
    REQUIRE(states.size() == 2);
    CHECK(states[0].roomId == "team");
    CHECK(states[0].version == 1);
    CHECK(states[0].payload == "{\"type\":\"state\",\"n\":1}");
    CHECK(states[1].version == 2);
    CHECK(states[1].payload == "{\"type\":\"state\",\"n\":2}\nwith a newline");

    bus.setListener(nullptr);
    bus.stop();
    storage.stop();
}

TEST_CASE("with publishOnCommit off the storage publishes nothing", "[redis][bus]") {
    fp::testing::RedisTestServer server;
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                    {{"url", server.url()}, {"publishOnCommit", false}}));
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(), {{"url", server.url()}}));
    BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(storage.start().ok());
    REQUIRE(bus.start().ok());
    CHECK_FALSE(storage.publishesOnCommit());
    REQUIRE(bus.subscribe("team").ok());
    REQUIRE(commit(storage, "team", 0, "{}").status.ok());
    // The core publishes through the bus instead.
    REQUIRE(bus.publish("team", 1, "via the bus").ok());
    REQUIRE(eventually([&] { return !recorder.states().empty(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    REQUIRE(recorder.states().size() == 1);
    CHECK(recorder.states()[0].payload == "via the bus");
    bus.setListener(nullptr);
    bus.stop();
    storage.stop();
}
