// While Redis is down or hung every call answers `unavailable` quickly, /readyz says why,
// and everything works again when Redis is back, without a new storage object.
#include <catch2/catch.hpp>

#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"

using Catch::Matchers::Contains;
using fp::plugins::redis::RedisStorage;
using fp::sdk::StatusCode;
using fp::testing::contextFor;
using fp::testing::eventually;
using Clock = std::chrono::steady_clock;

namespace {
fp::sdk::CommitRequest request(const std::string& room, std::uint64_t expected) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "v" + std::to_string(expected + 1);
    return r;
}

long long msSince(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}
}  // namespace

TEST_CASE("with Redis stopped every call is unavailable at once and it recovers by itself",
          "[redis][failure]") {
    fp::testing::RedisTestServer server({true});  // append-only: data survives the restart
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                    {{"url", server.url()},
                                     {"healthCheckMs", std::int64_t{100}},
                                     {"reconnectMaxMs", std::int64_t{300}}}));
    REQUIRE(storage.start().ok());
    REQUIRE(storage.compareAndSwap(request("team", 0)).status.ok());
    CHECK(storage.readiness().ready);

    server.stop();
    const auto start = Clock::now();
    auto commit = storage.compareAndSwap(request("team", 1));
    CHECK(commit.status.code == StatusCode::unavailable);
    CHECK_THAT(commit.status.message, Contains("room team"));
    CHECK_THAT(commit.status.message, Contains("127.0.0.1:" + std::to_string(server.port())));
    CHECK(storage.load("team").status.code == StatusCode::unavailable);
    CHECK(storage.claimOutbox("c", 10, std::chrono::seconds(30)).status.code ==
          StatusCode::unavailable);
    CHECK(storage.heartbeat("i", std::chrono::seconds(10)).code == StatusCode::unavailable);
    CHECK(storage.liveInstances().status.code == StatusCode::unavailable);
    CHECK(storage.outboxStats().status.code == StatusCode::unavailable);
    // Refused connections fail fast: all of that took well under a second.
    CHECK(msSince(start) < 500);
    REQUIRE(eventually([&] { return !storage.readiness().ready; }));
    CHECK_THAT(storage.readiness().reason, Contains(std::to_string(server.port())));

    server.start();
    REQUIRE(eventually([&] { return storage.load("team").status.ok(); }));
    CHECK(storage.readiness().ready);
    auto loaded = storage.load("team");
    CHECK(loaded.document.version == 1);  // nothing was half-written meanwhile
    CHECK(storage.compareAndSwap(request("team", 1)).status.ok());
    storage.stop();
}

TEST_CASE("a hung Redis answers unavailable after the command timeout, never blocks longer",
          "[redis][failure]") {
    fp::testing::RedisTestServer server;
    RedisStorage storage(contextFor(fp::plugins::redis::storageRedisManifest(),
                                    {{"url", server.url()},
                                     {"commandTimeoutMs", std::int64_t{200}},
                                     {"connectTimeoutMs", std::int64_t{200}},
                                     {"healthCheckMs", std::int64_t{100}}}));
    REQUIRE(storage.start().ok());
    REQUIRE(storage.compareAndSwap(request("team", 0)).status.ok());

    server.pause();
    auto start = Clock::now();
    auto loaded = storage.load("team");
    CHECK(loaded.status.code == StatusCode::unavailable);
    CHECK_THAT(loaded.status.message, Contains("no answer within 200 ms"));
    CHECK(msSince(start) < 1000);
    start = Clock::now();
    CHECK(storage.compareAndSwap(request("team", 1)).status.code == StatusCode::unavailable);
    CHECK(msSince(start) < 1000);
    REQUIRE(eventually([&] { return !storage.readiness().ready; }));

    server.resume();
    REQUIRE(eventually([&] { return storage.load("team").status.ok(); }));
    REQUIRE(eventually([&] { return storage.readiness().ready; }));
    // The timed-out commit may or may not have run (Redis had the request): the document
    // is at version 1 or 2, never anything in between.
    const auto version = storage.load("team").document.version;
    CHECK((version == 1 || version == 2));
    storage.stop();
}

TEST_CASE("a storage started while Redis is down starts anyway and connects later",
          "[redis][failure]") {
    fp::testing::RedisTestServer server;
    const auto url = server.url();
    server.stop();
    auto context = contextFor(fp::plugins::redis::storageRedisManifest(),
                              {{"url", url}, {"healthCheckMs", std::int64_t{100}}});
    auto logger = std::static_pointer_cast<fp::testing::CapturingLogger>(context.logger);
    RedisStorage storage(context);
    REQUIRE(storage.start().ok());
    REQUIRE(eventually([&] { return !storage.readiness().ready; }));
    CHECK(logger->contains("will keep trying"));
    server.start();
    REQUIRE(eventually([&] { return storage.readiness().ready; }));
    CHECK(storage.compareAndSwap(request("late", 0)).status.ok());
    storage.stop();
}

TEST_CASE("a password is sent with AUTH and never shows in errors", "[redis][auth]") {
    fp::testing::RedisTestServer server;
    server.command({"CONFIG", "SET", "requirepass", "s3cret-Pw"});
    {
        RedisStorage storage(
            contextFor(fp::plugins::redis::storageRedisManifest(),
                       {{"url", server.url()}, {"password", std::string("s3cret-Pw")}}));
        REQUIRE(storage.start().ok());
        CHECK(storage.compareAndSwap(request("auth", 0)).status.ok());
        storage.stop();
    }
    {
        RedisStorage storage(contextFor(
            fp::plugins::redis::storageRedisManifest(),
            {{"url", std::string("redis://:wrong-Pw@127.0.0.1:") + std::to_string(server.port())},
             {"healthCheckMs", std::int64_t{100}}}));
        REQUIRE(storage.start().ok());
        auto loaded = storage.load("auth");
        CHECK(loaded.status.code == StatusCode::unavailable);
        CHECK_THAT(loaded.status.message, Contains("authentication failed"));
        CHECK_THAT(loaded.status.message, !Contains("wrong-Pw"));
        REQUIRE(eventually([&] { return !storage.readiness().ready; }));
        CHECK_THAT(storage.readiness().reason, !Contains("wrong-Pw"));
        storage.stop();
    }
}
