// One round trip per storage call on the common path, and what lands where in Redis.
#include <catch2/catch.hpp>

#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"

using fp::plugins::redis::RedisStorage;
using fp::testing::contextFor;
using fp::testing::RedisTestServer;

namespace {
fp::sdk::CommitRequest request(const std::string& room, std::uint64_t expected,
                               std::vector<fp::sdk::OutboxRecord> outbox = {}) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "{\"v\":" + std::to_string(expected + 1) + "}";
    r.publishPayload = "{\"type\":\"state\"}";
    r.ttl = std::chrono::seconds(3600);
    r.outbox = std::move(outbox);
    return r;
}
}  // namespace

TEST_CASE("every storage call is one round trip once the scripts are cached", "[redis]") {
    RedisTestServer server;
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                    {{"url", server.url()}, {"poolSize", std::int64_t{1}}}));
    REQUIRE(storage.start().ok());
    // The first use of each script may cost a NOSCRIPT answer and an EVAL.
    REQUIRE(storage.compareAndSwap(request("warm", 0)).status.ok());
    REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).status.ok());
    REQUIRE(storage.heartbeat("i", std::chrono::seconds(10)).ok());
    REQUIRE(storage.liveInstances().status.ok());
    REQUIRE(storage.ackOutbox("none").ok());

    auto cost = [&storage](const std::function<void()>& call) {
        const auto before = storage.roundTrips();
        call();
        return storage.roundTrips() - before;
    };
    fp::sdk::OutboxRecord record;
    record.id = "sink/r_1";
    record.sink = "sink";
    record.resultId = "r_1";
    record.payload = "{}";
    record.createdAtMs = 1700000000000;
    CHECK(cost([&] { REQUIRE(storage.load("warm").status.ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 1)).status.ok()); }) == 1);
    // A finalize: document + outbox record + publish, still one script.
    CHECK(cost([&] {
              REQUIRE(storage.compareAndSwap(request("warm", 2, {record})).status.ok());
          }) == 1);
    CHECK(cost([&] {
              REQUIRE(storage.compareAndSwap(request("warm", 0)).status.code ==
                      fp::sdk::StatusCode::conflict);
          }) == 1);
    CHECK(cost([&] {
              REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
          }) == 1);
    CHECK(cost([&] { REQUIRE(storage.ackOutbox(record.id).ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.outboxStats().status.ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.heartbeat("i", std::chrono::seconds(10)).ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.liveInstances().status.ok()); }) == 1);

    // After SCRIPT FLUSH (as after a Redis restart) EVALSHA answers NOSCRIPT: EVAL once.
    server.command({"SCRIPT", "FLUSH"});
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 3)).status.ok()); }) == 2);
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 4)).status.ok()); }) == 1);
    storage.stop();
}

TEST_CASE("a commit writes the hash-tagged document with its ttl and the outbox record",
          "[redis][keys]") {
    RedisTestServer server;
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                    {{"url", server.url()}, {"keyPrefix", std::string("fpx")}}));
    REQUIRE(storage.start().ok());
    fp::sdk::OutboxRecord record;
    record.id = "results/r_9";
    record.sink = "results";
    record.resultId = "r_9";
    record.payload = "{\"estimate\":\"8\"}";
    record.createdAtMs = 1700000000000;
    REQUIRE(storage.compareAndSwap(request("team", 0, {record})).status.ok());

    CHECK(server.command({"HGET", "fpx:{room:team}:doc", "v"}) == "1");
    CHECK(server.command({"HGET", "fpx:{room:team}:doc", "json"}) == "{\"v\":1}");
    const auto ttlMs = std::stoll(server.command({"PTTL", "fpx:{room:team}:doc"}));
    CHECK(ttlMs > 3590000);
    CHECK(ttlMs <= 3600000);
    CHECK(server.command({"ZSCORE", "fpx:{outbox}:due", "results/r_9"}) == "0");
    CHECK(server.command({"ZSCORE", "fpx:{outbox}:created", "results/r_9"}) == "1700000000000");
    CHECK(server.command({"HGET", "fpx:{outbox}:rec:results/r_9", "payload"}) ==
          "{\"estimate\":\"8\"}");
    // ttl 0: the document no longer expires.
    auto forever = request("team", 1);
    forever.ttl = std::chrono::seconds(0);
    REQUIRE(storage.compareAndSwap(forever).status.ok());
    CHECK(server.command({"PTTL", "fpx:{room:team}:doc"}) == "-1");
    storage.stop();
}
