// rediss://: storage-redis and bus-redis over TLS to a real redis-server started with
// --tls-port (and --port 0) and certificates of a throwaway CA made by the openssl command.
// Works with the CA file and an ACL user; fails clearly (naming the host and why) with a
// wrong CA, an expired certificate or another name; connections dropped midway come back;
// the wrong scheme for a port says so; a server asking for a client certificate gets one;
// checkOptions refuses what start-up would.
#include <catch2/catch.hpp>

#include <fstream>

#include "bus_manifest.hpp"
#include "redis_bus.hpp"
#include "redis_plugin_support.hpp"
#include "redis_storage.hpp"
#include "redis_test_server.hpp"
#include "storage_manifest.hpp"
#include "test_certificates.hpp"

using Catch::Matchers::Contains;
using fp::plugins::redis::RedisBus;
using fp::plugins::redis::RedisStorage;
using fp::sdk::StatusCode;
using fp::testing::BusRecorder;
using fp::testing::contextFor;
using fp::testing::eventually;
using fp::testing::Overrides;
using fp::testing::RedisTestServer;
using fp::testing::sharedCertificates;

namespace {
fp::sdk::CommitRequest request(const std::string& room, std::uint64_t expected) {
    fp::sdk::CommitRequest r;
    r.roomId = room;
    r.expectedVersion = expected;
    r.json = "{\"v\":" + std::to_string(expected + 1) + "}";
    r.publishPayload = "state " + std::to_string(expected + 1);
    return r;
}

// The url and CA of `server`, plus `more` (later entries win).
Overrides tlsTo(const RedisTestServer& server, const Overrides& more = {}) {
    Overrides options{{"url", server.url()},
                      {"tlsCaFile", sharedCertificates().caFile()},
                      {"healthCheckMs", std::int64_t{100}},
                      {"reconnectMaxMs", std::int64_t{200}}};
    for (const auto& [name, value] : more)
        options[name] = value;
    return options;
}

std::unique_ptr<RedisStorage> storageWith(const Overrides& options) {
    return std::make_unique<RedisStorage>(
        contextFor(fp::plugins::redis::storageRedisManifest(), options));
}

std::unique_ptr<RedisBus> busWith(Overrides options) {
    options.erase("healthCheckMs");
    return std::make_unique<RedisBus>(contextFor(fp::plugins::redis::busRedisManifest(), options));
}

RedisTestServer::Options serverWithCertificate(const std::string& certFile) {
    auto options = RedisTestServer::tlsOptions();
    options.tls->certFile = certFile;
    options.tls->verifiable = false;  // the test helper cannot check it either
    return options;
}

// Storage and bus both refuse `options`: every storage call is unavailable, and the
// storage's and the bus's readiness say why, naming `host` and every one of `words`.
void expectRefused(const Overrides& options, const std::string& host,
                   const std::vector<std::string>& words) {
    auto storage = storageWith(options);
    REQUIRE(storage->start().ok());  // not fatal: it keeps trying
    auto commit = storage->compareAndSwap(request("refused", 0));
    CHECK(commit.status.code == StatusCode::unavailable);
    CHECK_THAT(commit.status.message, Contains("room refused"));
    CHECK_THAT(commit.status.message, Contains("redis " + host));
    for (const auto& word : words)
        CHECK_THAT(commit.status.message, Contains(word));
    REQUIRE(eventually([&] { return !storage->readiness().ready; }));
    for (const auto& word : words)
        CHECK_THAT(storage->readiness().reason, Contains(word));
    CHECK(storage->load("refused").status.code == StatusCode::unavailable);
    storage->stop();

    auto bus = busWith(options);
    REQUIRE(bus->start().ok());
    CHECK_FALSE(bus->readiness().ready);
    CHECK_THAT(bus->readiness().reason, Contains("redis " + host));
    for (const auto& word : words)
        CHECK_THAT(bus->readiness().reason, Contains(word));
    CHECK(bus->subscribe("refused").code == StatusCode::unavailable);
    bus->stop();
}

std::size_t statesOf(const BusRecorder& recorder, const std::string& room) {
    std::size_t n = 0;
    for (const auto& state : recorder.states())
        n += state.roomId == room ? 1 : 0;
    return n;
}
}  // namespace

TEST_CASE("storage-redis and bus-redis work over TLS: commits, loads and the bus", "[redis][tls]") {
    RedisTestServer server(RedisTestServer::tlsOptions());
    REQUIRE(server.url().rfind("rediss://localhost:", 0) == 0);
    auto storage = storageWith(tlsTo(server));
    auto bus = busWith(tlsTo(server));
    BusRecorder recorder;
    bus->setListener(&recorder);
    REQUIRE(storage->start().ok());
    REQUIRE(bus->start().ok());
    CHECK(storage->readiness().ready);
    CHECK(bus->readiness().ready);
    REQUIRE(bus->subscribe("team").ok());

    REQUIRE(storage->compareAndSwap(request("team", 0)).status.ok());
    REQUIRE(storage->compareAndSwap(request("team", 1)).status.ok());
    CHECK(storage->compareAndSwap(request("team", 1)).status.code == StatusCode::conflict);
    auto loaded = storage->load("team");
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 2);
    CHECK(loaded.document.json == "{\"v\":2}");
    // A large document crosses several TLS records each way.
    auto big = request("big", 0);
    big.json = std::string(300000, 'x');
    REQUIRE(storage->compareAndSwap(big).status.ok());
    CHECK(storage->load("big").document.json == big.json);

    REQUIRE(eventually([&] { return statesOf(recorder, "team") == 2; }));
    CHECK(recorder.states().back().payload == "state 2");
    REQUIRE(bus->publish("team", 3, "published by the bus").ok());
    REQUIRE(eventually([&] { return statesOf(recorder, "team") == 3; }));
    CHECK(recorder.states().back().payload == "published by the bus");
    // The server saw TLS clients only: its plain port is off.
    CHECK_THAT(server.command({"CONFIG", "GET", "port"}), Contains("\n0"));

    bus->setListener(nullptr);
    bus->stop();
    storage->stop();
}

TEST_CASE("a burst of large messages over a TLS subscription all arrive, in order",
          "[redis][tls][bus]") {
    RedisTestServer server(RedisTestServer::tlsOptions());
    auto subscriber = busWith(tlsTo(server));
    auto publisher = busWith(tlsTo(server));
    BusRecorder recorder;
    subscriber->setListener(&recorder);
    REQUIRE(subscriber->start().ok());
    REQUIRE(publisher->start().ok());
    REQUIRE(subscriber->subscribe("burst").ok());
    // 4 MB in all: more than one receive() takes in at once, so the reader goes on without
    // waiting for poll() while TLS holds what it already decrypted.
    constexpr int kMessages = 200;
    for (int i = 1; i <= kMessages; ++i)
        REQUIRE(publisher
                    ->publish("burst", static_cast<std::uint64_t>(i),
                              std::string(20000, static_cast<char>('a' + i % 26)))
                    .ok());
    REQUIRE(eventually([&] { return statesOf(recorder, "burst") == kMessages; }));
    const auto states = recorder.states();
    for (int i = 0; i < kMessages; ++i) {
        CHECK(states[static_cast<std::size_t>(i)].version == static_cast<std::uint64_t>(i + 1));
        CHECK(states[static_cast<std::size_t>(i)].payload.size() == 20000);
    }
    subscriber->setListener(nullptr);
    subscriber->stop();
    publisher->stop();
}

TEST_CASE("a server certificate that fails verification is refused, naming the host and why",
          "[redis][tls][failure]") {
    const auto& certificates = sharedCertificates();
    SECTION("signed by another CA than tlsCaFile") {
        RedisTestServer server(RedisTestServer::tlsOptions());
        expectRefused(tlsTo(server, {{"tlsCaFile", certificates.otherCaFile()}}),
                      "localhost:" + std::to_string(server.port()),
                      {"TLS handshake with 'localhost' failed", "certificate verification failed",
                       "not signed by a trusted CA", "tlsCaFile " + certificates.otherCaFile()});
    }
    SECTION("signed by an unknown CA, checked against the system's CA store") {
        RedisTestServer server(RedisTestServer::tlsOptions());
        expectRefused(tlsTo(server, {{"tlsCaFile", std::string()}}),
                      "localhost:" + std::to_string(server.port()),
                      {"certificate verification failed", "not signed by a trusted CA",
                       "the system's CA store"});
    }
    SECTION("expired") {
        RedisTestServer server(serverWithCertificate(certificates.expiredCertFile()));
        expectRefused(tlsTo(server), "localhost:" + std::to_string(server.port()),
                      {"certificate verification failed", "certificate has expired"});
    }
    SECTION("made out to another name") {
        RedisTestServer server(serverWithCertificate(certificates.otherNameCertFile()));
        expectRefused(tlsTo(server), "localhost:" + std::to_string(server.port()),
                      {"certificate verification failed", "name mismatch", "is not for 'localhost'",
                       "tlsServerName"});
    }
}

TEST_CASE("tlsServerName checks another name than the url's host, as when connecting by IP",
          "[redis][tls]") {
    RedisTestServer server(serverWithCertificate(sharedCertificates().otherNameCertFile()));
    const auto byAddress = server.urlWithHost("127.0.0.1");
    expectRefused(tlsTo(server, {{"url", byAddress}}), "127.0.0.1:" + std::to_string(server.port()),
                  {"name mismatch", "is not for '127.0.0.1'"});

    auto storage =
        storageWith(tlsTo(server, {{"url", byAddress}, {"tlsServerName", "redis.internal"}}));
    REQUIRE(storage->start().ok());
    CHECK(storage->compareAndSwap(request("by-ip", 0)).status.ok());
    CHECK(storage->readiness().ready);
    storage->stop();
    auto bus = busWith(tlsTo(server, {{"url", byAddress}, {"tlsServerName", "redis.internal"}}));
    REQUIRE(bus->start().ok());
    CHECK(bus->readiness().ready);
    CHECK(bus->subscribe("by-ip").ok());
    bus->stop();
}

TEST_CASE("an ACL user and password over TLS, from the url or the password option",
          "[redis][tls][auth]") {
    RedisTestServer server(RedisTestServer::tlsOptions());
    const std::string port = std::to_string(server.port());
    REQUIRE(server.command(
                {"ACL", "SETUSER", "poker", "on", ">Pw-of-poker", "~*", "&*", "+@all"}) == "OK");
    // From here on only `poker` gets in.
    REQUIRE(server.command({"ACL", "SETUSER", "default", "off"}) == "OK");

    SECTION("rediss://user:password@host") {
        const Overrides options =
            tlsTo(server, {{"url", "rediss://poker:Pw-of-poker@localhost:" + port + "/0"}});
        auto storage = storageWith(options);
        REQUIRE(storage->start().ok());
        CHECK(storage->compareAndSwap(request("acl", 0)).status.ok());
        CHECK(storage->load("acl").document.version == 1);
        storage->stop();
        auto bus = busWith(options);
        REQUIRE(bus->start().ok());
        CHECK(bus->subscribe("acl").ok());
        CHECK(bus->publish("acl", 2, "x").ok());
        bus->stop();
    }
    SECTION("the user in the url, the password from the environment (password option)") {
        auto storage = storageWith(tlsTo(
            server, {{"url", "rediss://poker:@localhost:" + port}, {"password", "Pw-of-poker"}}));
        REQUIRE(storage->start().ok());
        CHECK(storage->compareAndSwap(request("acl-env", 0)).status.ok());
        storage->stop();
    }
    SECTION("a wrong password fails as an authentication error that never shows it") {
        const Overrides options = tlsTo(
            server, {{"url", "rediss://poker:@localhost:" + port}, {"password", "Wrong-Pw-9"}});
        auto storage = storageWith(options);
        REQUIRE(storage->start().ok());
        auto loaded = storage->load("acl");
        CHECK(loaded.status.code == StatusCode::unavailable);
        CHECK_THAT(loaded.status.message, Contains("authentication failed"));
        CHECK_THAT(loaded.status.message, !Contains("Wrong-Pw-9"));
        REQUIRE(eventually([&] { return !storage->readiness().ready; }));
        CHECK_THAT(storage->readiness().reason, !Contains("Wrong-Pw-9"));
        storage->stop();
        auto bus = busWith(options);
        REQUIRE(bus->start().ok());
        CHECK_THAT(bus->readiness().reason, Contains("authentication failed"));
        CHECK_THAT(bus->readiness().reason, !Contains("Wrong-Pw-9"));
        bus->stop();
    }
}

TEST_CASE("TLS connections dropped midway are replaced; the bus subscribes again and resyncs",
          "[redis][tls][failure]") {
    auto options = RedisTestServer::tlsOptions();
    options.appendOnly = true;
    RedisTestServer server(options);
    auto storage = storageWith(tlsTo(server));
    auto bus = busWith(tlsTo(server));
    BusRecorder recorder;
    bus->setListener(&recorder);
    REQUIRE(storage->start().ok());
    REQUIRE(bus->start().ok());
    REQUIRE(bus->subscribe("team").ok());
    REQUIRE(storage->compareAndSwap(request("team", 0)).status.ok());
    REQUIRE(eventually([&] { return statesOf(recorder, "team") == 1; }));

    // Redis drops every client connection (storage pool, health check, subscription).
    server.command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    server.command({"CLIENT", "KILL", "TYPE", "pubsub"});
    // The pooled connection is found closed before use and replaced: no error at all.
    REQUIRE(storage->compareAndSwap(request("team", 1)).status.ok());
    REQUIRE(eventually([&] { return recorder.resyncs() == 1; }));
    CHECK(bus->readiness().ready);
    REQUIRE(storage->compareAndSwap(request("team", 2)).status.ok());
    REQUIRE(eventually([&] { return recorder.states().back().payload == "state 3"; }));

    // Killed and started again: unavailable meanwhile, then all back without a restart.
    server.kill();
    CHECK(storage->compareAndSwap(request("team", 3)).status.code == StatusCode::unavailable);
    REQUIRE(eventually([&] { return !bus->readiness().ready; }));
    server.start();
    REQUIRE(eventually([&] { return storage->load("team").status.ok(); }));
    CHECK(storage->load("team").document.version == 3);  // append-only: all of it is back
    REQUIRE(eventually([&] { return recorder.resyncs() == 2 && bus->readiness().ready; }));
    REQUIRE(eventually([&] { return storage->compareAndSwap(request("again", 0)).status.ok(); }));
    bus->setListener(nullptr);
    bus->stop();
    storage->stop();
}

TEST_CASE("a hung TLS server: answers unavailable after the command timeout, then recovers",
          "[redis][tls][failure]") {
    RedisTestServer server(RedisTestServer::tlsOptions());
    const Overrides options = tlsTo(server, {{"commandTimeoutMs", std::int64_t{200}},
                                             {"connectTimeoutMs", std::int64_t{200}},
                                             {"pingIntervalMs", std::int64_t{100}}});
    auto storage = storageWith(options);
    auto bus = busWith(options);
    BusRecorder recorder;
    bus->setListener(&recorder);
    REQUIRE(storage->start().ok());
    REQUIRE(bus->start().ok());
    REQUIRE(bus->subscribe("team").ok());
    REQUIRE(storage->compareAndSwap(request("team", 0)).status.ok());

    server.pause();
    const auto start = std::chrono::steady_clock::now();
    auto commit = storage->compareAndSwap(request("team", 1));
    CHECK(commit.status.code == StatusCode::unavailable);
    CHECK_THAT(commit.status.message, Contains("no answer within 200 ms"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    REQUIRE(eventually([&] { return !bus->readiness().ready; }, std::chrono::seconds(2)));
    CHECK_THAT(bus->readiness().reason, Contains("PING"));

    server.resume();
    REQUIRE(eventually([&] { return storage->load("team").status.ok(); }));
    // The timed-out commit ran or did not: version 1 or 2, nothing in between.
    const auto version = storage->load("team").document.version;
    CHECK((version == 1 || version == 2));
    REQUIRE(eventually([&] { return recorder.resyncs() >= 1 && bus->readiness().ready; }));
    REQUIRE(storage->compareAndSwap(request("team", version)).status.ok());
    REQUIRE(eventually([&] { return recorder.states().back().version == version + 1; }));
    bus->setListener(nullptr);
    bus->stop();
    storage->stop();
}

TEST_CASE("the wrong scheme for a port says so", "[redis][tls][failure]") {
    SECTION("redis:// to a TLS port") {
        RedisTestServer server(RedisTestServer::tlsOptions());
        auto storage = storageWith({{"url", server.urlWithHost("127.0.0.1").replace(0, 6, "redis")},
                                    {"healthCheckMs", std::int64_t{100}}});
        REQUIRE(storage->start().ok());
        auto loaded = storage->load("x");
        CHECK(loaded.status.code == StatusCode::unavailable);
        CHECK_THAT(loaded.status.message, Contains("the server closed the connection"));
        CHECK_THAT(loaded.status.message, Contains("rediss://"));
        storage->stop();
    }
    SECTION("rediss:// to a plain port") {
        RedisTestServer server;
        auto storage =
            storageWith({{"url", "rediss://localhost:" + std::to_string(server.port()) + "/0"},
                         {"tlsCaFile", sharedCertificates().caFile()},
                         {"connectTimeoutMs", std::int64_t{300}},
                         {"healthCheckMs", std::int64_t{100}}});
        REQUIRE(storage->start().ok());
        auto loaded = storage->load("x");
        CHECK(loaded.status.code == StatusCode::unavailable);
        CHECK_THAT(loaded.status.message, Contains("TLS handshake with 'localhost'"));
        storage->stop();
    }
}

TEST_CASE("a server that asks for a client certificate gets tlsCertFile", "[redis][tls]") {
    const auto& certificates = sharedCertificates();
    auto options = RedisTestServer::tlsOptions();
    options.tls->authClients = true;
    options.tls->clientCertFile = certificates.clientCertFile();
    options.tls->clientKeyFile = certificates.clientKeyFile();
    RedisTestServer server(options);

    auto storage = storageWith(tlsTo(server, {{"tlsCertFile", certificates.clientCertFile()},
                                              {"tlsKeyFile", certificates.clientKeyFile()}}));
    REQUIRE(storage->start().ok());
    CHECK(storage->compareAndSwap(request("mtls", 0)).status.ok());
    storage->stop();

    auto without = storageWith(tlsTo(server));
    REQUIRE(without->start().ok());
    auto loaded = without->load("mtls");
    CHECK(loaded.status.code == StatusCode::unavailable);
    CHECK_THAT(loaded.status.message, Contains("localhost:" + std::to_string(server.port())));
    CHECK_THAT(loaded.status.message, Contains("client certificate"));
    without->stop();
}

TEST_CASE("checkOptions refuses what start-up would: url, CA and certificate files",
          "[redis][tls][options]") {
    const auto& certificates = sharedCertificates();
    auto problemsWith = [](const Overrides& overrides) {
        auto options = contextFor(fp::plugins::redis::storageRedisManifest(), overrides).options;
        auto problems = RedisStorage::checkOptions(options);
        CHECK(RedisBus::checkOptions(
                  contextFor(fp::plugins::redis::busRedisManifest(), overrides).options) ==
              problems);
        return problems;
    };
    auto onlyProblem = [&](const Overrides& overrides) {
        const auto problems = problemsWith(overrides);
        REQUIRE(problems.size() == 1);
        return problems.front();
    };
    const std::string url = "rediss://:Secret-Pw@redis.internal:6380/0";

    CHECK(problemsWith({{"url", url}}).empty());
    CHECK(problemsWith({{"url", url}, {"tlsCaFile", certificates.caFile()}}).empty());
    CHECK(problemsWith({{"url", url},
                        {"tlsCertFile", certificates.clientCertFile()},
                        {"tlsKeyFile", certificates.clientKeyFile()}})
              .empty());

    const auto missing = certificates.dir() + "/missing-ca.pem";
    auto problem = onlyProblem({{"url", url}, {"tlsCaFile", missing}});
    CHECK_THAT(problem, Contains("tlsCaFile: cannot read " + missing) &&
                            Contains("No such file or directory"));
    const auto notPem = certificates.dir() + "/not-a-certificate.txt";
    std::ofstream(notPem) << "hello\n";
    CHECK_THAT(onlyProblem({{"url", url}, {"tlsCaFile", notPem}}),
               Contains("tlsCaFile: " + notPem + " holds no PEM certificate"));
    CHECK_THAT(onlyProblem({{"url", url}, {"tlsCertFile", certificates.clientCertFile()}}),
               Contains("tlsCertFile and tlsKeyFile"));
    CHECK_THAT(onlyProblem({{"url", url},
                            {"tlsCertFile", certificates.clientCertFile()},
                            {"tlsKeyFile", certificates.serverKeyFile()}}),
               Contains("is not the key of tlsCertFile"));
    CHECK_THAT(onlyProblem({{"url", std::string("redis://localhost:6379")},
                            {"tlsCaFile", certificates.caFile()}}),
               Contains("use rediss://"));
    problem = onlyProblem({{"url", std::string("rediss://:Secret-Pw@localhost:70000")}});
    CHECK_THAT(problem, Contains("port"));
    CHECK_THAT(problem, !Contains("Secret-Pw"));
    CHECK_THAT(onlyProblem({{"url", std::string("rediss://localhost/2")}, {"cluster", true}}),
               Contains("only database 0"));
    CHECK_THAT(onlyProblem({{"url", std::string("tls://localhost")}}), Contains("rediss://"));
}
