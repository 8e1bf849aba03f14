// Redis Cluster's rule for storage-redis: every script touches keys of exactly one hash slot,
// and names them all in KEYS. Checked three ways: the slot function against Redis's own
// values, each script's source (no key built inside Lua), and every script call the storage
// makes while it goes through all of its operations, on a standalone and on a cluster-mode
// redis-server (where a call spanning two slots fails with CROSSSLOT).
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "hash_slot.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"
#include "storage_scripts.hpp"

using fp::plugins::redis::hashSlot;
using fp::plugins::redis::RedisStorage;
using fp::testing::contextFor;
using fp::testing::RedisTestServer;

namespace {
struct ObservedCall {
    std::string script;
    std::vector<std::string> keys;
};

fp::sdk::OutboxRecord record(const std::string& resultId) {
    fp::sdk::OutboxRecord r;
    r.id = "results/" + resultId;
    r.sink = "results";
    r.resultId = resultId;
    r.payload = "{\"estimate\":\"5\"}";
    r.createdAtMs = 1700000000000;
    return r;
}

fp::sdk::CommitRequest request(const std::string& room, std::uint64_t expected,
                               std::vector<fp::sdk::OutboxRecord> outbox = {}) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "{}";
    r.publishPayload = "{\"type\":\"state\"}";
    r.ttl = std::chrono::seconds(60);
    r.outbox = std::move(outbox);
    return r;
}

// Every storage operation, each path that runs a script at least once; every answer must be
// ok (on a cluster-mode server a CROSSSLOT error would make one fail).
std::vector<ObservedCall> driveEveryOperation(const std::string& url) {
    std::mutex mutex;
    std::vector<ObservedCall> calls;
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(), {{"url", url}}));
    storage.observeScripts(
        [&](const fp::plugins::redis::LuaScript& script, const std::vector<std::string>& keys) {
            std::lock_guard<std::mutex> lock(mutex);
            calls.push_back({script.name(), keys});
        });
    REQUIRE(storage.start().ok());
    REQUIRE(storage.compareAndSwap(request("team", 0)).status.ok());
    REQUIRE(storage.compareAndSwap(request("team", 1, {record("r1"), record("r2")})).status.ok());
    REQUIRE(storage.compareAndSwap(request("team", 1, {record("lost")})).status.code ==
            fp::sdk::StatusCode::conflict);
    REQUIRE(storage.load("team").status.ok());
    auto claimed = storage.claimOutbox("c", 10, std::chrono::seconds(30));
    REQUIRE(claimed.status.ok());
    REQUIRE(claimed.records.size() == 2);
    REQUIRE(storage.ackOutbox(claimed.records[0].id).ok());
    auto failing = claimed.records[1];
    failing.lastError = "refused";
    REQUIRE(storage.releaseOutbox(failing).ok());
    REQUIRE(storage.failOutbox(failing).ok());
    REQUIRE(storage.listFailedOutbox().records.size() == 1);
    REQUIRE(storage.requeueFailedOutbox(failing.id).ok());
    REQUIRE(storage.listFailedOutbox().records.empty());  // settles the failed index
    REQUIRE(storage.outboxStats().pending == 1);
    REQUIRE(storage.claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    REQUIRE(storage.ackOutbox(failing.id).ok());
    REQUIRE(storage.remove("team").ok());
    REQUIRE(storage.heartbeat("instance-1", std::chrono::seconds(10)).ok());
    REQUIRE(storage.liveInstances().status.ok());
    storage.stop();
    return calls;
}

void requireOneSlotPerCall(const std::vector<ObservedCall>& calls) {
    std::set<std::string> seen;
    for (const auto& call : calls) {
        INFO("script " << call.script);
        REQUIRE_FALSE(call.keys.empty());
        const int slot = hashSlot(call.keys.front());
        for (const auto& key : call.keys) {
            INFO("key " << key << " vs " << call.keys.front());
            CHECK(hashSlot(key) == slot);
        }
        seen.insert(call.script);
    }
    for (const auto* script : fp::plugins::redis::scripts::all()) {
        INFO("script never called: " << script->name());
        CHECK(seen.count(script->name()) == 1);
    }
}
}  // namespace

TEST_CASE("hash slots are computed as Redis Cluster does, hash tags included", "[redis][slots]") {
    CHECK(fp::plugins::redis::crc16("123456789") == 0x31C3);
    // Values from CLUSTER KEYSLOT.
    CHECK(hashSlot("foo") == 12182);
    CHECK(hashSlot("somekey") == 11058);
    CHECK(hashSlot("{user1000}.following") == hashSlot("{user1000}.followers"));
    CHECK(hashSlot("{user1000}.following") == hashSlot("user1000"));
    // Only the first {...} counts; an empty one means the whole key.
    CHECK(hashSlot("foo{bar}{zap}") == hashSlot("bar"));
    CHECK(hashSlot("foo{{bar}}zap") == hashSlot("{bar"));
    CHECK(hashSlot("foo{}{bar}") == fp::plugins::redis::crc16("foo{}{bar}") % 16384);
    CHECK(hashSlot("fp:{room:team}:doc") == hashSlot("fp:{room:team}:outbox:rec"));
    CHECK(hashSlot("fp:{room:team}:doc") != hashSlot("fp:{outbox}:rooms"));
}

TEST_CASE("the slot function agrees with CLUSTER KEYSLOT", "[redis][slots][cluster]") {
    RedisTestServer::Options options;
    options.clusterMode = true;
    RedisTestServer server(options);
    for (const std::string key :
         {"fp:{room:team-a}:doc", "fp:{outbox}:rooms", "fp:{presence}:instances", "plain", "a{}b",
          "x{y", "caf\xc3\xa9", "{room:\xe2\x98\x83}:outbox:due"}) {
        INFO(key);
        CHECK(std::to_string(hashSlot(key)) == server.command({"CLUSTER", "KEYSLOT", key}));
    }
}

TEST_CASE("no script builds a key inside Lua: every key is one of its KEYS", "[redis][slots]") {
    // redis.call('COMMAND', first argument...): for every command that takes a key first.
    const std::regex call(R"(redis\.call\('([A-Z]+)'(?:,\s*([^,)]+))?)");
    const std::set<std::string> keyless = {"TIME", "PUBLISH"};
    for (const auto* script : fp::plugins::redis::scripts::all()) {
        const std::string& source = script->source();
        int checked = 0;
        for (auto it = std::sregex_iterator(source.begin(), source.end(), call);
             it != std::sregex_iterator(); ++it) {
            const std::string command = (*it)[1];
            if (keyless.count(command) != 0)
                continue;
            const std::string first = (*it)[2];
            INFO(script->name() << ": redis.call('" << command << "', " << first << ")");
            CHECK(first.rfind("KEYS[", 0) == 0);
            ++checked;
        }
        INFO(script->name());
        CHECK(checked > 0);
    }
}

TEST_CASE("every script call keeps its keys in one hash slot", "[redis][slots]") {
    RedisTestServer server;
    requireOneSlotPerCall(driveEveryOperation(server.url()));
}

TEST_CASE("every operation works on a cluster-mode Redis, which refuses CROSSSLOT",
          "[redis][slots][cluster]") {
    RedisTestServer::Options options;
    options.clusterMode = true;
    RedisTestServer server(options);
    requireOneSlotPerCall(driveEveryOperation(server.url()));
}
