// Not a check: figures for docs/redis.md and reviews. Hidden ([.]); run it with
//   build/bin/fp_redis_tests "[.measure]"
// 500 rooms each finalize one result; a consumer claims 16 at a time and acks; printed: wall
// time and round trips per commit and per delivered record, on a standalone Redis and on a
// three-node cluster.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_cluster.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"

namespace {
void measure(const std::string& label, const std::string& url, bool cluster) {
    constexpr int kRooms = 500;
    fp::plugins::redis::RedisStorage storage(fp::testing::contextFor(
        fp::plugins::redis::storageRedisManifest(), {{"url", url}, {"cluster", cluster}}));
    REQUIRE(storage.start().ok());
    REQUIRE(storage.claimOutbox("warm", 1, std::chrono::seconds(1)).status.ok());
    using Clock = std::chrono::steady_clock;
    auto started = Clock::now();
    auto trips = storage.roundTrips();
    for (int i = 0; i < kRooms; ++i) {
        fp::sdk::CommitRequest request;
        request.roomId = "measure-" + std::to_string(i);
        request.json = "{}";
        fp::sdk::OutboxRecord record;
        record.id = "results/r" + std::to_string(i);
        record.sink = "results";
        record.resultId = "r" + std::to_string(i);
        record.payload = std::string(500, 'x');
        request.outbox = {record};
        REQUIRE(storage.compareAndSwap(request).status.ok());
    }
    const auto commitUs =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const auto commitTrips = storage.roundTrips() - trips;
    started = Clock::now();
    trips = storage.roundTrips();
    int delivered = 0;
    while (delivered < kRooms) {
        auto claimed = storage.claimOutbox("c", 16, std::chrono::seconds(30));
        REQUIRE(claimed.status.ok());
        REQUIRE_FALSE(claimed.records.empty());
        for (const auto& record : claimed.records) {
            REQUIRE(storage.ackOutbox(record.id).ok());
            ++delivered;
        }
    }
    const auto claimUs =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const auto claimTrips = storage.roundTrips() - trips;
    std::cout << label << ": finalize commit " << commitUs / kRooms << " us, "
              << static_cast<double>(commitTrips) / kRooms << " round trips; claim+ack "
              << claimUs / kRooms << " us, " << static_cast<double>(claimTrips) / kRooms
              << " round trips per record (claims of 16)\n";
    storage.stop();
}
}  // namespace

TEST_CASE("outbox cost per finalized result", "[.measure]") {
    fp::testing::RedisTestServer server;
    measure("standalone", server.url(), false);
    fp::testing::RedisTestCluster cluster(3);
    measure("3-node cluster", cluster.url(), true);
}
