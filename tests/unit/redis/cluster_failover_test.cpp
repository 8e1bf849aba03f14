// A node of a three-node Redis Cluster dies (each test starts its own cluster; there are no
// replicas, so the node's slots stay uncovered): bus-redis with `cluster: true` moves its
// subscription and its publishes to another node and resyncs; storage-redis's readiness
// names the slot range whose node does not answer, and is ready again once it is back.
#include <catch2/catch.hpp>

#include "bus_manifest.hpp"
#include "cluster_nodes.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_cluster.hpp"
#include "storage_manifest.hpp"

using Catch::Matchers::Contains;
using fp::plugins::redis::RedisBus;
using fp::testing::BusRecorder;
using fp::testing::contextFor;
using fp::testing::eventually;
using fp::testing::RedisTestCluster;

namespace {
std::unique_ptr<RedisBus> clusterBus(const std::string& url) {
    return std::make_unique<RedisBus>(contextFor(fp::plugins::redis::busRedisManifest(),
                                                 {{"url", url},
                                                  {"keyPrefix", "failover"},
                                                  {"cluster", true},
                                                  {"pingIntervalMs", std::int64_t{200}},
                                                  {"reconnectMinMs", std::int64_t{50}},
                                                  {"reconnectMaxMs", std::int64_t{200}}}));
}

bool received(const BusRecorder& recorder, std::uint64_t version) {
    for (const auto& state : recorder.states()) {
        if (state.roomId == "room" && state.version == version)
            return true;
    }
    return false;
}
}  // namespace

TEST_CASE("CLUSTER NODES: usable nodes, failed and address-less ones left out",
          "[redis][cluster]") {
    const std::string answer =
        "07c3 127.0.0.1:30004@31004 slave e7d1 0 1426238317239 4 connected\n"
        "67ed 127.0.0.1:30002@31002,host.example master - 0 1426238316232 2 connected 5461-10921\n"
        "292f :30003@31003 myself,master - 0 0 3 connected 10923-16383\n"
        "6ec2 127.0.0.1:30005@31005 master,fail - 1426238316232 1426238315228 5 disconnected\n"
        "824f :0@0 master,noaddr - 1426238316232 0 1 disconnected\n"
        "e7d1 127.0.0.1:30001@31001 master,fail? - 0 1426238317741 1 connected 0-5460\n";
    CHECK(fp::plugins::redis::parseClusterNodes(answer, "10.0.0.9") ==
          std::vector<std::string>{"127.0.0.1:30004", "127.0.0.1:30002", "10.0.0.9:30003",
                                   "127.0.0.1:30001"});
}

TEST_CASE("the bus moves to another node when its node dies, resubscribes and resyncs",
          "[redis][cluster][nodes][failure]") {
    RedisTestCluster cluster(3);
    // Both on the first node: the subscriber and the publisher must each find another one.
    auto subscriber = clusterBus(cluster.url());
    auto publisher = clusterBus(cluster.url());
    BusRecorder recorder;
    subscriber->setListener(&recorder);
    REQUIRE(subscriber->start().ok());
    REQUIRE(publisher->start().ok());
    REQUIRE(subscriber->subscribe("room").ok());
    REQUIRE(publisher->publish("room", 1, "before").ok());
    REQUIRE(eventually([&] { return received(recorder, 1); }));

    cluster.node(0).kill();
    // Resubscribed on a live node and told to resync, within a few seconds.
    REQUIRE(eventually([&] { return recorder.resyncs() == 1 && subscriber->readiness().ready; },
                       std::chrono::seconds(8)));
    // Redis pub/sub is at most once, and right after a node dies the surviving nodes may
    // still be settling the cluster bus (seen once in CI under load: the first publish after
    // the move was lost; the core's resync covers that). What must hold: publishing works
    // again through another node, and what is published after the move arrives.
    std::uint64_t version = 1;
    REQUIRE(eventually(
        [&] {
            ++version;
            auto published = publisher->publish("room", version, "after");
            INFO(published.message);
            REQUIRE(published.ok());
            return eventually([&] { return received(recorder, version); }, std::chrono::seconds(2));
        },
        std::chrono::seconds(12)));
    CHECK(recorder.states().back().payload == "after");
    subscriber->setListener(nullptr);
    subscriber->stop();
    publisher->stop();
}

TEST_CASE("storage readiness names the slot range whose node does not answer",
          "[redis][cluster][nodes][failure]") {
    RedisTestCluster cluster(3);
    fp::plugins::redis::RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                                        {{"url", cluster.url()},
                                                         {"keyPrefix", "ready"},
                                                         {"cluster", true},
                                                         {"healthCheckMs", std::int64_t{100}},
                                                         {"reconnectMinMs", std::int64_t{50}},
                                                         {"reconnectMaxMs", std::int64_t{200}}}));
    REQUIRE(storage.start().ok());
    CHECK(storage.readiness().ready);

    // A node other than the url's: the url's node still answers.
    const auto second = "127.0.0.1:" + std::to_string(cluster.node(1).port());
    cluster.node(1).kill();
    REQUIRE(eventually([&] { return !storage.readiness().ready; }));
    CHECK_THAT(storage.readiness().reason, Contains("slots 5461-10921 on " + second));
    CHECK_THAT(storage.readiness().reason, !Contains("slots 0-5460"));

    cluster.node(1).start();  // nodes.conf: it still owns its slots
    REQUIRE(eventually([&] { return storage.readiness().ready; }, std::chrono::seconds(8)));

    // The url's node: the map comes from the others.
    const auto first = "127.0.0.1:" + std::to_string(cluster.node(0).port());
    cluster.node(0).kill();
    REQUIRE(eventually([&] {
        return storage.readiness().reason.find("slots 0-5460 on " + first) != std::string::npos;
    }));
    CHECK_THAT(storage.readiness().reason, !Contains("5461-10921"));
    storage.stop();
}
