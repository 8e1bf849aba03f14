// The outbox index ({outbox} slot) names the rooms whose own slot holds outbox records. It
// is written right after the commit, as a separate step: these tests take that step away
// (as if the process died in between) and check the records are still found, and that a
// claimer's settle never drops a room that got a new record meanwhile.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"
#include "storage_scripts.hpp"

using fp::plugins::redis::RedisStorage;
using fp::testing::contextFor;
using fp::testing::RedisTestServer;

namespace {
fp::sdk::OutboxRecord record(const std::string& resultId) {
    fp::sdk::OutboxRecord r;
    r.id = "results/" + resultId;
    r.sink = "results";
    r.resultId = resultId;
    r.payload = "{\"estimate\":\"3\"}";
    r.createdAtMs = 1700000000000;
    return r;
}

fp::sdk::CommitRequest finalize(const std::string& room,
                                std::vector<fp::sdk::OutboxRecord> outbox) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = 0;
    r.json = "{}";
    r.outbox = std::move(outbox);
    return r;
}

std::unique_ptr<RedisStorage> startedStorage(const RedisTestServer& server) {
    auto storage = std::make_unique<RedisStorage>(
        contextFor(fp::plugins::redis::storageRedisManifest(), {{"url", server.url()}}));
    REQUIRE(storage->start().ok());
    return storage;
}

// What the index write would have added, gone: the state a crash between the two leaves.
void loseTheIndex(const RedisTestServer& server) {
    server.command({"DEL", "fp:{outbox}:rooms", "fp:{outbox}:marks", "fp:{outbox}:failedRooms"});
}
}  // namespace

TEST_CASE("records whose index write was lost are found by the next process's repair",
          "[redis][outbox][repair]") {
    RedisTestServer server;
    auto running = startedStorage(server);
    // Its first claim ran a repair pass; the next one is a minute away.
    REQUIRE(running->claimOutbox("c", 10, std::chrono::seconds(30)).records.empty());
    REQUIRE(
        running->compareAndSwap(finalize("orphaned", {record("r1"), record("r2")})).status.ok());
    loseTheIndex(server);
    // Claims go by the index: without it the records are not seen...
    CHECK(running->claimOutbox("c", 10, std::chrono::seconds(30)).records.empty());
    CHECK(running->outboxStats().pending == 0);
    // ...until a repair pass finds the room's outbox keys (here: a restarted process).
    auto restarted = startedStorage(server);
    auto claimed = restarted->claimOutbox("c", 10, std::chrono::seconds(30));
    REQUIRE(claimed.status.ok());
    CHECK(claimed.records.size() == 2);
    CHECK(restarted->outboxStats().pending == 2);
    running->stop();
    restarted->stop();
}

TEST_CASE("failed records whose index entry was lost are listed again after a repair",
          "[redis][outbox][repair]") {
    RedisTestServer server;
    auto storage = startedStorage(server);
    REQUIRE(storage->compareAndSwap(finalize("failing", {record("bad")})).status.ok());
    auto claimed = storage->claimOutbox("c", 10, std::chrono::seconds(30));
    REQUIRE(claimed.records.size() == 1);
    REQUIRE(storage->failOutbox(claimed.records[0]).ok());
    loseTheIndex(server);
    CHECK(storage->listFailedOutbox().records.empty());
    auto restarted = startedStorage(server);
    REQUIRE(restarted->claimOutbox("c", 10, std::chrono::seconds(30)).records.empty());
    auto failed = restarted->listFailedOutbox();
    REQUIRE(failed.records.size() == 1);
    CHECK(failed.records[0].id == "results/bad");
    CHECK(restarted->outboxStats().failed == 1);
    // Requeued by a process that never saw the record before: found through the index.
    auto third = startedStorage(server);
    REQUIRE(third->requeueFailedOutbox("results/bad").ok());
    CHECK(third->claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    storage->stop();
    restarted->stop();
    third->stop();
}

TEST_CASE("a settle with a stale mark leaves the room due; a current one applies",
          "[redis][outbox]") {
    RedisTestServer server;
    auto storage = startedStorage(server);
    REQUIRE(storage->compareAndSwap(finalize("raced", {record("r1")})).status.ok());
    const auto& settle = fp::plugins::redis::scripts::settleRoom().source();
    const std::string rooms = "fp:{outbox}:rooms";
    const std::string marks = "fp:{outbox}:marks";
    // A claimer read the room's mark, found it empty; then a commit marked the room again.
    const auto seen = server.command({"HGET", marks, "raced"});
    REQUIRE(storage->compareAndSwap(finalize("raced2", {record("r2")})).status.ok());
    auto again = finalize("raced", {record("r3")});
    again.expectedVersion = 1;
    REQUIRE(storage->compareAndSwap(again).status.ok());
    CHECK(server.command({"EVAL", settle, "2", rooms, marks, "raced", seen, ""}) == "0");
    CHECK(server.command({"ZSCORE", rooms, "raced"}) == "0");
    // With the current mark the settle applies: the room leaves the index.
    const auto current = server.command({"HGET", marks, "raced"});
    CHECK(current != seen);
    CHECK(server.command({"EVAL", settle, "2", rooms, marks, "raced", current, ""}) == "1");
    CHECK(server.command({"ZSCORE", rooms, "raced"}) == "(nil)");
    // A mark after the room left the index gets a new value, never an old one (no ABA).
    server.command({"EVAL", fp::plugins::redis::scripts::markRoom().source(), "3", rooms, marks,
                    "fp:{outbox}:markSeq", "raced", "0"});
    CHECK(server.command({"HGET", marks, "raced"}) != current);
    CHECK(server.command({"EVAL", settle, "2", rooms, marks, "raced", current, ""}) == "0");
    storage->stop();
}

TEST_CASE("claims across many rooms hand out every record once and empty the index",
          "[redis][outbox]") {
    RedisTestServer server;
    auto storage = startedStorage(server);
    for (int room = 0; room < 12; ++room) {
        REQUIRE(storage
                    ->compareAndSwap(finalize(
                        "many-" + std::to_string(room),
                        {record("a" + std::to_string(room)), record("b" + std::to_string(room))}))
                    .status.ok());
    }
    std::set<std::string> ids;
    for (int round = 0; round < 10; ++round) {
        auto claimed = storage->claimOutbox("c", 5, std::chrono::milliseconds(200));
        REQUIRE(claimed.status.ok());
        CHECK(claimed.records.size() <= 5);
        for (const auto& r : claimed.records) {
            CHECK(ids.insert(r.id).second);
            REQUIRE(storage->ackOutbox(r.id).ok());
        }
    }
    CHECK(ids.size() == 24);
    CHECK(storage->outboxStats().pending == 0);
    // Acked rooms leave the index once their last claim would have expired.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(storage->claimOutbox("c", 16, std::chrono::seconds(1)).records.empty());
    REQUIRE(storage->claimOutbox("c", 16, std::chrono::seconds(1)).records.empty());
    CHECK(server.command({"ZCARD", "fp:{outbox}:rooms"}) == "0");
    CHECK(server.command({"HLEN", "fp:{outbox}:marks"}) == "0");
    storage->stop();
}

TEST_CASE("a failed record whose room is unknown is kept, listed and can be requeued",
          "[redis][outbox]") {
    RedisTestServer server;
    auto storage = startedStorage(server);
    auto stray = record("stray");
    stray.lastError = "gone";
    REQUIRE(storage->failOutbox(stray).ok());
    auto failed = storage->listFailedOutbox();
    REQUIRE(failed.records.size() == 1);
    CHECK(failed.records[0].lastError == "gone");
    REQUIRE(storage->requeueFailedOutbox(stray.id).ok());
    CHECK(storage->claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    storage->stop();
}
