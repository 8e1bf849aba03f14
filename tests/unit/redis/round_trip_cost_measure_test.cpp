// Not a check: figures for docs/redis.md and reviews. Hidden ([.]); run it with
//   build/bin/fp_redis_tests "[.measure]"
// The time of one commit (the compare-and-swap script a vote costs, one round trip) on one
// room, one after another, as the median and 99th percentile of kCommits, over plain TCP
// and over TLS (rediss://, the test CA); and the time to open a connection each way.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

#include "redis_connection.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"
#include "test_certificates.hpp"

namespace {
using Clock = std::chrono::steady_clock;

void measureCommits(const std::string& label, const fp::testing::Overrides& overrides) {
    constexpr int kWarmUp = 200;
    constexpr int kCommits = 5000;
    fp::plugins::redis::RedisStorage storage(
        fp::testing::contextFor(fp::plugins::redis::storageRedisManifest(), overrides));
    REQUIRE(storage.start().ok());
    std::vector<double> micros;
    micros.reserve(kCommits);
    std::uint64_t version = 0;
    for (int i = 0; i < kWarmUp + kCommits; ++i) {
        fp::sdk::CommitRequest request;
        request.roomId = "measure-" + label;
        request.expectedVersion = version;
        request.json = std::string(1500, 'x');  // about a room document of ten participants
        const auto started = Clock::now();
        const auto result = storage.compareAndSwap(request);
        const auto took = std::chrono::duration<double, std::micro>(Clock::now() - started);
        REQUIRE(result.status.ok());
        ++version;
        if (i >= kWarmUp)
            micros.push_back(took.count());
    }
    std::sort(micros.begin(), micros.end());
    std::cout << label << ": commit median " << micros[micros.size() / 2] << " us, p99 "
              << micros[micros.size() * 99 / 100] << " us (" << kCommits << " commits)\n";
    storage.stop();
}

void measureConnects(const std::string& label, const fp::plugins::redis::RedisSettings& settings) {
    constexpr int kConnects = 200;
    std::vector<double> micros;
    for (int i = 0; i < kConnects; ++i) {
        fp::plugins::redis::RedisConnection connection(settings);
        std::string error;
        fp::plugins::redis::ReplyPtr reply;
        const auto started = Clock::now();
        REQUIRE(connection.open(error));
        REQUIRE(connection.run({"PING"}, reply, error));
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - started).count());
    }
    std::sort(micros.begin(), micros.end());
    std::cout << label << ": connect + first PING median " << micros[micros.size() / 2] << " us ("
              << kConnects << " connections)\n";
}
}  // namespace

TEST_CASE("round trip cost of a commit", "[.measure]") {
    fp::testing::RedisTestServer server;
    measureCommits("plain", {{"url", server.url()}});
    fp::testing::RedisTestServer tlsServer(fp::testing::RedisTestServer::tlsOptions());
    const auto caFile = fp::testing::sharedCertificates().caFile();
    measureCommits("tls", {{"url", tlsServer.url()}, {"tlsCaFile", caFile}});

    fp::plugins::redis::RedisSettings plain;
    plain.address = fp::plugins::redis::parseRedisUrl(server.url());
    measureConnects("plain", plain);
    fp::plugins::redis::RedisSettings tls;
    tls.address = fp::plugins::redis::parseRedisUrl(tlsServer.urlWithHost("127.0.0.1"));
    fp::plugins::redis::TlsOptions options;
    options.caFile = caFile;
    tls.tls = std::make_shared<const fp::plugins::redis::TlsClient>(options);
    measureConnects("tls", tls);
}
