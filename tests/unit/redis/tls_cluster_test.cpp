// rediss:// with `cluster: true` on a real three-node Redis Cluster serving TLS only (its
// cluster bus too, --tls-cluster yes): the slot map is learned over TLS, each room's commit
// goes to its slot's node (by the address CLUSTER SLOTS gives, 127.0.0.1, checked against
// the certificate's IP name), and a state published on one node reaches a bus subscribed on
// another.
#include <catch2/catch.hpp>

#include <set>

#include "bus_manifest.hpp"
#include "hash_slot.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_cluster.hpp"
#include "storage_manifest.hpp"
#include "test_certificates.hpp"

using fp::plugins::redis::hashSlot;
using fp::plugins::redis::RedisBus;
using fp::plugins::redis::RedisStorage;
using fp::testing::contextFor;
using fp::testing::eventually;

TEST_CASE("a TLS Redis Cluster: commits routed to every node, the bus hears them all",
          "[redis][tls][cluster]") {
    fp::testing::RedisTestCluster cluster(3, true);
    const fp::testing::Overrides options{{"url", cluster.url()},
                                         {"tlsCaFile", fp::testing::sharedCertificates().caFile()},
                                         {"cluster", true},
                                         {"keyPrefix", std::string("tlsc")}};
    REQUIRE(cluster.url().rfind("rediss://localhost:", 0) == 0);
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(), options));
    RedisBus bus(contextFor(fp::plugins::redis::busRedisManifest(), options));
    fp::testing::BusRecorder recorder;
    bus.setListener(&recorder);
    REQUIRE(storage.start().ok());
    REQUIRE(bus.start().ok());

    // One room per node, found by its document key's slot.
    std::vector<std::string> rooms(cluster.size());
    for (int i = 0; std::count(rooms.begin(), rooms.end(), std::string()) > 0; ++i) {
        const std::string room = "r" + std::to_string(i);
        auto& slot = rooms[cluster.ownerOf(hashSlot("tlsc:{room:" + room + "}:doc"))];
        if (slot.empty())
            slot = room;
    }
    for (const auto& room : rooms)
        REQUIRE(bus.subscribe(room).ok());
    for (const auto& room : rooms) {
        fp::sdk::CommitRequest request;
        request.roomId = room;
        request.json = "{\"room\":\"" + room + "\"}";
        request.publishPayload = "state of " + room;
        const auto committed = storage.compareAndSwap(request);
        INFO(committed.status.message);
        REQUIRE(committed.status.ok());
    }
    for (std::size_t node = 0; node < cluster.size(); ++node) {
        const int slot = hashSlot("tlsc:{room:" + rooms[node] + "}:doc");
        CHECK(cluster.node(node).command({"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}) ==
              "1");
        CHECK(storage.load(rooms[node]).document.json == "{\"room\":\"" + rooms[node] + "\"}");
    }
    REQUIRE(eventually([&] { return recorder.states().size() == cluster.size(); }));
    std::set<std::string> heard;
    for (const auto& state : recorder.states())
        heard.insert(state.payload);
    CHECK(heard.size() == cluster.size());
    REQUIRE(eventually([&] { return storage.readiness().ready; }));
    CHECK(bus.readiness().ready);
    bus.setListener(nullptr);
    bus.stop();
    storage.stop();
}
