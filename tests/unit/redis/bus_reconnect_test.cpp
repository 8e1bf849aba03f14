// bus-redis: subscriptions confirmed before subscribe() returns; after the subscription
// connection drops (Redis killed, or hung) every room is subscribed again and the listener
// told to resync.
#include <catch2/catch.hpp>

#include "bus_manifest.hpp"
#include "key_layout.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_test_server.hpp"

using Catch::Matchers::Contains;
using fp::plugins::redis::RedisBus;
using fp::testing::BusRecorder;
using fp::testing::contextFor;
using fp::testing::eventually;

namespace {
// Published by another client, as another server instance would.
void publishFromElsewhere(fp::testing::RedisTestServer& server, const std::string& room,
                          std::uint64_t version, const std::string& payload) {
    fp::plugins::redis::KeyLayout keys("fp");
    server.command({"PUBLISH", keys.roomChannel(room),
                    fp::plugins::redis::encodeBusMessage(version, payload)});
}

std::size_t countFor(const BusRecorder& recorder, const std::string& room) {
    std::size_t n = 0;
    for (const auto& state : recorder.states())
        n += state.roomId == room ? 1 : 0;
    return n;
}
}  // namespace

TEST_CASE("subscribe returns once Redis confirmed it: nothing published after is missed",
          "[redis][bus]") {
    fp::testing::RedisTestServer server;
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(), {{"url", server.url()}}));
    BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(bus.start().ok());
    for (int i = 0; i < 30; ++i) {
        const auto room = "room-" + std::to_string(i);
        REQUIRE(bus.subscribe(room).ok());
        publishFromElsewhere(server, room, 1, "state of " + room);
    }
    REQUIRE(eventually([&] { return recorder.states().size() == 30; }));
    CHECK(recorder.states()[7].payload == "state of room-7");
    // Messages that are not "<version>\n<state>" are dropped, not delivered half-read.
    server.command({"PUBLISH", "fp:{room:room-1}:state", "garbage"});
    publishFromElsewhere(server, "room-1", 2, "next");
    REQUIRE(eventually([&] { return countFor(recorder, "room-1") == 2; }));
    CHECK(recorder.states().back().version == 2);
    bus.setListener(nullptr);
    bus.stop();
}

TEST_CASE("after Redis comes back every room is subscribed again and a resync follows",
          "[redis][bus][failure]") {
    fp::testing::RedisTestServer server;
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(),
                            {{"url", server.url()}, {"reconnectMaxMs", std::int64_t{200}}}));
    BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(bus.start().ok());
    REQUIRE(bus.subscribe("a").ok());
    REQUIRE(bus.subscribe("b").ok());
    REQUIRE(bus.subscribe("gone").ok());
    REQUIRE(bus.unsubscribe("gone").ok());
    CHECK(bus.readiness().ready);

    server.kill();
    REQUIRE(eventually([&] { return !bus.readiness().ready; }));
    CHECK_THAT(bus.readiness().reason, Contains(std::to_string(server.port())));
    const auto start = std::chrono::steady_clock::now();
    auto refused = bus.subscribe("c");
    CHECK(refused.code == fp::sdk::StatusCode::unavailable);
    CHECK_THAT(refused.message, Contains("room c"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(200));
    CHECK(bus.publish("a", 1, "x").code == fp::sdk::StatusCode::unavailable);
    CHECK(recorder.resyncs() == 0);

    server.start();
    REQUIRE(eventually([&] { return recorder.resyncs() == 1; }));
    CHECK(bus.readiness().ready);
    publishFromElsewhere(server, "a", 5, "a5");
    publishFromElsewhere(server, "b", 6, "b6");
    publishFromElsewhere(server, "gone", 7, "not wanted");
    // The publish connections reconnect on their own backoff, a moment after the subscription.
    REQUIRE(eventually([&] { return bus.publish("a", 8, "a8").ok(); }));
    REQUIRE(eventually([&] { return recorder.states().size() >= 3; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto states = recorder.states();
    REQUIRE(states.size() == 3);
    CHECK(countFor(recorder, "a") == 2);
    CHECK(countFor(recorder, "b") == 1);
    CHECK(countFor(recorder, "gone") == 0);
    bus.setListener(nullptr);
    bus.stop();
}

TEST_CASE("a hung subscription connection is noticed by its pings", "[redis][bus][failure]") {
    fp::testing::RedisTestServer server;
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(),
                            {{"url", server.url()},
                             {"pingIntervalMs", std::int64_t{100}},
                             {"commandTimeoutMs", std::int64_t{200}},
                             {"connectTimeoutMs", std::int64_t{200}},
                             {"reconnectMaxMs", std::int64_t{200}}}));
    BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(bus.start().ok());
    REQUIRE(bus.subscribe("a").ok());
    server.pause();
    REQUIRE(eventually([&] { return !bus.readiness().ready; }, std::chrono::seconds(2)));
    CHECK_THAT(bus.readiness().reason, Contains("PING"));
    server.resume();
    REQUIRE(eventually([&] { return recorder.resyncs() >= 1 && bus.readiness().ready; }));
    publishFromElsewhere(server, "a", 3, "after");
    REQUIRE(eventually([&] { return countFor(recorder, "a") >= 1; }));
    bus.setListener(nullptr);
    bus.stop();
}
