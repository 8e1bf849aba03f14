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
    fp::sdk::OutboxRecord record;
    record.id = "sink/r_1";
    record.sink = "sink";
    record.resultId = "r_1";
    record.payload = "{}";
    record.createdAtMs = 1700000000000;
    // The first use of each script may cost a NOSCRIPT answer and an EVAL; the first claim
    // also starts a pass of the index repair (a SCAN).
    auto warmRecord = record;
    warmRecord.id = "sink/r_0";
    REQUIRE(storage.compareAndSwap(request("warm0", 0, {warmRecord})).status.ok());
    REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    REQUIRE(storage.ackOutbox(warmRecord.id).ok());
    REQUIRE(storage.compareAndSwap(request("warm", 0)).status.ok());
    REQUIRE(storage.heartbeat("i", std::chrono::seconds(10)).ok());
    REQUIRE(storage.liveInstances().status.ok());
    REQUIRE(storage.ackOutbox("none").ok());

    auto cost = [&storage](const std::function<void()>& call) {
        const auto before = storage.roundTrips();
        call();
        return storage.roundTrips() - before;
    };
    CHECK(cost([&] { REQUIRE(storage.load("warm").status.ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 1)).status.ok()); }) == 1);
    // A finalize: document + outbox record + publish in the room's script, the index mark
    // pipelined behind it: still one round trip.
    CHECK(cost([&] {
              REQUIRE(storage.compareAndSwap(request("warm", 2, {record})).status.ok());
          }) == 1);
    CHECK(cost([&] {
              REQUIRE(storage.compareAndSwap(request("warm", 0)).status.code ==
                      fp::sdk::StatusCode::conflict);
          }) == 1);
    // A claim with one room due: the index, the room, the index's settle.
    CHECK(cost([&] {
              REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
          }) == 3);
    // Nothing due: the index only.
    CHECK(cost([&] {
              REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).records.empty());
          }) == 1);
    CHECK(cost([&] { REQUIRE(storage.ackOutbox(record.id).ok()); }) == 1);
    // The index, then the counts of the rooms it names.
    CHECK(cost([&] { REQUIRE(storage.outboxStats().status.ok()); }) == 2);
    CHECK(cost([&] { REQUIRE(storage.heartbeat("i", std::chrono::seconds(10)).ok()); }) == 1);
    CHECK(cost([&] { REQUIRE(storage.liveInstances().status.ok()); }) == 1);

    // After SCRIPT FLUSH (as after a Redis restart) EVALSHA answers NOSCRIPT: EVAL once.
    server.command({"SCRIPT", "FLUSH"});
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 3)).status.ok()); }) == 2);
    CHECK(cost([&] { REQUIRE(storage.compareAndSwap(request("warm", 4)).status.ok()); }) == 1);
    storage.stop();
}

TEST_CASE("a commit writes the hash-tagged document with its ttl, the outbox record and the index",
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
    // The record in the room's own slot; the room named in the outbox index.
    CHECK(server.command({"ZSCORE", "fpx:{room:team}:outbox:due", "results/r_9"}) == "0");
    CHECK(server.command({"ZSCORE", "fpx:{room:team}:outbox:created", "results/r_9"}) ==
          "1700000000000");
    CHECK(server.command({"HGET", "fpx:{room:team}:outbox:rec", "payload:results/r_9"}) ==
          "{\"estimate\":\"8\"}");
    CHECK(server.command({"PTTL", "fpx:{room:team}:outbox:rec"}) == "-1");
    CHECK(server.command({"ZSCORE", "fpx:{outbox}:rooms", "team"}) == "0");
    // ttl 0: the document no longer expires.
    auto forever = request("team", 1);
    forever.ttl = std::chrono::seconds(0);
    REQUIRE(storage.compareAndSwap(forever).status.ok());
    CHECK(server.command({"PTTL", "fpx:{room:team}:doc"}) == "-1");
    storage.stop();
}
