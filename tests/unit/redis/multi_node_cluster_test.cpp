// storage-redis with `cluster: true` on a real Redis Cluster of three nodes started by the
// test: the conformance kit, rooms spread over every node, states published on one node
// reaching a bus subscribed on another, MOVED followed after a slot changed hands; and
// without `cluster`, a clear error naming Redis's MOVED answer.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "bus_manifest.hpp"
#include "firepoker/testkit/storage_conformance.hpp"
#include "hash_slot.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_cluster.hpp"
#include "storage_manifest.hpp"

using fp::plugins::redis::hashSlot;
using fp::plugins::redis::RedisStorage;
using fp::testing::contextFor;
using fp::testing::RedisTestCluster;

namespace {
RedisTestCluster& sharedCluster() {
    static std::mutex mutex;
    static std::unique_ptr<RedisTestCluster> instance;
    std::lock_guard<std::mutex> lock(mutex);
    if (!instance)
        instance = std::make_unique<RedisTestCluster>(3);
    return *instance;
}

std::unique_ptr<RedisStorage> clusterStorage(const std::string& url, const std::string& prefix,
                                             bool cluster = true) {
    return std::make_unique<RedisStorage>(
        contextFor(fp::plugins::redis::storageRedisManifest(),
                   {{"url", url}, {"keyPrefix", prefix}, {"cluster", cluster}}));
}

std::shared_ptr<fp::sdk::Storage> makeStorage() {
    static std::atomic<int> counter{0};
    return clusterStorage(sharedCluster().url(), "nodes" + std::to_string(++counter));
}

const bool storageKit =
    fp::testkit::registerStorageConformance("storage-redis (3-node cluster)", makeStorage);

fp::sdk::CommitRequest request(const std::string& room, std::uint64_t expected,
                               std::vector<fp::sdk::OutboxRecord> outbox = {}) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "{\"room\":\"" + room + "\"}";
    r.publishPayload = "{\"type\":\"state\",\"room\":\"" + room + "\"}";
    r.outbox = std::move(outbox);
    return r;
}

fp::sdk::OutboxRecord record(const std::string& resultId) {
    fp::sdk::OutboxRecord r;
    r.id = "results/" + resultId;
    r.sink = "results";
    r.resultId = resultId;
    r.payload = "{}";
    r.createdAtMs = 1700000000000;
    return r;
}

// A room id whose keys land on node `node` of the cluster, in a slot holding no key yet.
std::string roomOnNode(RedisTestCluster& cluster, const std::string& prefix, std::size_t node,
                       int from = 0) {
    for (int i = from;; ++i) {
        const std::string room = "r" + std::to_string(i);
        const int slot = hashSlot(prefix + ":{room:" + room + "}:doc");
        if (cluster.ownerOf(slot) == node &&
            cluster.node(node).command({"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}) == "0")
            return room;
    }
}
}  // namespace

TEST_CASE("rooms spread over every node; states published anywhere reach the bus",
          "[redis][cluster][nodes]") {
    auto& cluster = sharedCluster();
    auto storage = clusterStorage(cluster.url(), "spread");
    REQUIRE(storage->start().ok());
    fp::plugins::redis::RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(),
                                                {{"url", cluster.url()}, {"keyPrefix", "spread"}}));
    fp::testing::BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(bus.start().ok());

    std::vector<std::string> rooms;
    for (std::size_t node = 0; node < cluster.size(); ++node)
        rooms.push_back(roomOnNode(cluster, "spread", node));
    for (const auto& room : rooms)
        REQUIRE(bus.subscribe(room).ok());
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        REQUIRE(storage->compareAndSwap(request(rooms[i], 0)).status.ok());
        auto finalize = request(rooms[i], 1, {record("res" + std::to_string(i))});
        auto committed = storage->compareAndSwap(finalize);
        INFO(committed.status.message);
        REQUIRE(committed.status.ok());
    }
    // Each room's document sits on the node owning its slot.
    for (std::size_t node = 0; node < cluster.size(); ++node) {
        CHECK(cluster.node(node).command(
                  {"EXISTS", "spread:{room:" + rooms[node] + "}:outbox:rec"}) == "1");
        CHECK(storage->load(rooms[node]).document.version == 2);
    }
    // The bus listens on the first node only; cluster pub/sub carries every node's PUBLISH.
    REQUIRE(fp::testing::eventually([&] { return recorder.states().size() >= 6; }));
    std::set<std::string> published;
    for (const auto& state : recorder.states())
        published.insert(state.roomId);
    CHECK(published.size() == 3);

    std::set<std::string> claimed;
    for (int round = 0; round < 5 && claimed.size() < 3; ++round) {
        for (const auto& r : storage->claimOutbox("c", 2, std::chrono::seconds(30)).records) {
            claimed.insert(r.id);
            REQUIRE(storage->ackOutbox(r.id).ok());
        }
    }
    CHECK(claimed.size() == 3);
    CHECK(storage->outboxStats().pending == 0);
    bus.setListener(nullptr);
    bus.stop();
    storage->stop();
}

TEST_CASE("after a slot changes hands the storage follows MOVED and learns the new map",
          "[redis][cluster][nodes]") {
    auto& cluster = sharedCluster();
    auto storage = clusterStorage(cluster.url(), "moved");
    REQUIRE(storage->start().ok());
    const auto room = roomOnNode(cluster, "moved", 1);
    REQUIRE(storage->load(room).status.code == fp::sdk::StatusCode::notFound);  // map loaded
    const int slot = hashSlot("moved:{room:" + room + "}:doc");
    cluster.moveEmptySlot(slot, 2);
    REQUIRE(fp::testing::eventually([&] {
        return cluster.node(1)
                   .command({"SET", "moved:{room:" + room + "}:probe", "x"})
                   .rfind("MOVED", 0) == 0;
    }));
    auto committed = storage->compareAndSwap(request(room, 0, {record("moved-1")}));
    INFO(committed.status.message);
    REQUIRE(committed.status.ok());
    CHECK(cluster.node(2).command({"HGET", "moved:{room:" + room + "}:doc", "v"}) == "1");
    CHECK(storage->load(room).document.version == 1);
    CHECK(storage->claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    storage->stop();
}

TEST_CASE("while a slot migrates the storage follows ASK to the importing node",
          "[redis][cluster][nodes]") {
    auto& cluster = sharedCluster();
    auto storage = clusterStorage(cluster.url(), "ask");
    REQUIRE(storage->start().ok());
    const auto room = roomOnNode(cluster, "ask", 0);
    const std::string doc = "ask:{room:" + room + "}:doc";
    REQUIRE(storage->compareAndSwap(request(room, 0)).status.ok());
    const int slot = hashSlot(doc);
    cluster.beginMovingSlot(slot, 0, 1);
    // The document moves to the importing node; the owner now answers ASK for it.
    REQUIRE(cluster.node(0).command({"MIGRATE", "127.0.0.1", std::to_string(cluster.node(1).port()),
                                     doc, "0", "5000"}) == "OK");
    auto loaded = storage->load(room);
    INFO(loaded.status.message);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 1);
    // A script whose keys are split by the migration: Redis says TRYAGAIN, a transient
    // answer: unavailable, nothing written, the caller may retry.
    auto midway = storage->compareAndSwap(request(room, 1, {record("ask-1")}));
    CHECK(midway.status.code == fp::sdk::StatusCode::unavailable);
    CHECK_THAT(midway.status.message, Catch::Contains("TRYAGAIN"));
    cluster.moveEmptySlot(slot, 1);  // the migration ends: node 1 owns the slot
    auto committed = storage->compareAndSwap(request(room, 1, {record("ask-1")}));
    INFO(committed.status.message);
    REQUIRE(committed.status.ok());
    CHECK(cluster.node(1).command({"HGET", doc, "v"}) == "2");
    CHECK(storage->claimOutbox("c", 10, std::chrono::seconds(30)).records.size() == 1);
    storage->stop();
}

TEST_CASE("without the cluster option a multi-node cluster's MOVED is a clear error",
          "[redis][cluster][nodes]") {
    auto& cluster = sharedCluster();
    auto storage = clusterStorage(cluster.url(), "single", false);
    REQUIRE(storage->start().ok());
    const auto elsewhere = roomOnNode(cluster, "single", 2);
    auto committed = storage->compareAndSwap(request(elsewhere, 0));
    CHECK(committed.status.code == fp::sdk::StatusCode::internal);
    CHECK_THAT(committed.status.message, Catch::Contains("MOVED"));
    CHECK_THAT(committed.status.message, Catch::Contains(elsewhere));
    storage->stop();
}

TEST_CASE("the cluster option refuses a database other than 0", "[redis][cluster]") {
    CHECK_THROWS_WITH(clusterStorage("redis://127.0.0.1:7000/2", "db"),
                      Catch::Contains("only database 0") && Catch::Contains("2"));
    CHECK_NOTHROW(clusterStorage("redis://127.0.0.1:7000/2", "db", false));
}
