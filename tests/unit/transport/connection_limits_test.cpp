// Connections per client address through a running transport: refused with 429 before the
// handshake completes, a closed connection frees its slot, X-Forwarded-For counts only from a
// trusted proxy, and the limit holds exactly under concurrent handshakes.
#include <catch2/catch.hpp>

#include <iostream>
#include <thread>

#include "transport_test_support.hpp"

using namespace fp::websocket;
using namespace fp::websocket::testing;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

namespace {

// An upgrade the server is expected to refuse: the whole answer (it closes after it).
HttpReply refusedUpgrade(std::uint16_t port, const std::string& extraHeaders = {}) {
    return httpExchange(port, upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", extraHeaders));
}

std::unique_ptr<WsClient> upgradeFrom(std::uint16_t port, const std::string& extraHeaders = {}) {
    auto client = std::make_unique<WsClient>(port);
    client->handshake("dGhlIHNhbXBsZSBub25jZQ==", extraHeaders);
    return client;
}

bool waitCount(RunningTransport& server, const std::string& key, std::size_t count) {
    const auto deadline = Clock::now() + Ms(3000);
    while (server.transport().connectionsFrom(key) != count) {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(Ms(5));
    }
    return true;
}

}  // namespace

TEST_CASE("connection limits: over the limit is 429, closing one frees its slot",
          "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 2}});
    auto [first, firstId] = server.connect();
    auto [second, secondId] = server.connect();
    CHECK(server.transport().connectionsFrom("127.0.0.1") == 2);

    const auto refused = refusedUpgrade(server.port());
    CHECK(refused.status == 429);
    CHECK_THAT(refused.body, Catch::Contains("too many connections from 127.0.0.1") &&
                                 Catch::Contains("at most 2"));
    CHECK(server.host().openedIds().size() == 2);  // the host never saw it

    // Plain HTTP is not counted: the page and its files still load.
    CHECK(httpGet(server.port(), "/nothing-here").status == 404);

    first->sendFrame(Opcode::close, std::string("\x03\xe8", 2));
    REQUIRE(server.host().waitClosed(firstId));
    REQUIRE(waitCount(server, "127.0.0.1", 1));
    auto third = upgradeFrom(server.port());
    CHECK(third->upgraded());
    CHECK(refusedUpgrade(server.port()).status == 429);

    // A connection that just drops (no CLOSE frame) gives its slot back too.
    second->socket().close();
    REQUIRE(server.host().waitClosed(secondId));
    REQUIRE(waitCount(server, "127.0.0.1", 1));
    CHECK(upgradeFrom(server.port())->upgraded());
}

TEST_CASE("connection limits: the limit is exact under a burst of concurrent handshakes",
          "[connection-limits]") {
    // The stage's early check only sees connections already open; the upgrade handler takes
    // the slot itself, so however many handshakes race, exactly the limit get through. The
    // rest get 429, or, while more than the limit of them still wait for their request head,
    // are closed at once by the pre-accept stage.
    RunningTransport server({{"maxConnectionsPerAddress", 5}, {"maxHttpThreads", 8}});
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 24; ++i) {
        clients.push_back(std::make_unique<WsClient>(server.port()));
        clients.back()->sendHandshake();
    }
    int upgraded = 0;
    int refused = 0;
    int dropped = 0;
    for (auto& client : clients) {
        const auto head = client->awaitHandshake(Ms(3000));
        if (client->upgraded())
            ++upgraded;
        else if (head.find(" 429 ") != std::string::npos)
            ++refused;
        else if (client->waitForEof(Ms(1000)))
            ++dropped;
    }
    CHECK(upgraded == 5);
    CHECK(refused + dropped == 19);
    CHECK(server.transport().connectionsFrom("127.0.0.1") == 5);
}

TEST_CASE("connection limits: X-Forwarded-For from an untrusted peer is ignored (no spoofing)",
          "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 1}});
    auto client = upgradeFrom(server.port(), "X-Forwarded-For: 203.0.113.9\r\n");
    REQUIRE(client->upgraded());
    const auto id = server.host().waitOpened(1);
    REQUIRE(id);
    CHECK(server.host().infoOf(*id)->clientAddress == "127.0.0.1");
    // Another made-up address does not buy another connection.
    const auto refused = refusedUpgrade(server.port(), "X-Forwarded-For: 198.51.100.1\r\n");
    CHECK(refused.status == 429);
    CHECK_THAT(refused.body,
               Catch::Contains("from 127.0.0.1") && Catch::Contains("X-Forwarded-For was ignored"));
}

TEST_CASE("connection limits: behind a trusted proxy each forwarded client has its own limit",
          "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 1}}, {},
                            {{"trustedProxies", "127.0.0.0/8, 10.0.0.0/8"}});
    auto a = upgradeFrom(server.port(), "X-Forwarded-For: 203.0.113.9\r\n");
    REQUIRE(a->upgraded());
    const auto aId = server.host().waitOpened(1);
    REQUIRE(aId);
    CHECK(server.host().infoOf(*aId)->clientAddress == "203.0.113.9");
    CHECK(server.host().infoOf(*aId)->remoteAddress.rfind("127.0.0.1:", 0) == 0);

    // Same client again: refused, named by its forwarded address.
    const auto refused = refusedUpgrade(server.port(), "X-Forwarded-For: 203.0.113.9\r\n");
    CHECK(refused.status == 429);
    CHECK_THAT(refused.body, Catch::Contains("from 203.0.113.9"));

    // The client's own (spoofed) entry on the left does not count; the proxy's entry does.
    const auto spoofed =
        refusedUpgrade(server.port(), "X-Forwarded-For: 192.0.2.200, 203.0.113.9\r\n");
    CHECK(spoofed.status == 429);

    // Another client behind the same proxy, through a second trusted hop.
    auto b = upgradeFrom(server.port(), "X-Forwarded-For: 198.51.100.4, 10.1.1.1\r\n");
    REQUIRE(b->upgraded());
    const auto bId = server.host().waitOpened(2);
    REQUIRE(bId);
    CHECK(server.host().infoOf(*bId)->clientAddress == "198.51.100.4");

    // No header from the proxy: the proxy itself is the client.
    auto c = upgradeFrom(server.port());
    REQUIRE(c->upgraded());
    const auto cId = server.host().waitOpened(3);
    REQUIRE(cId);
    CHECK(server.host().infoOf(*cId)->clientAddress == "127.0.0.1");
}

TEST_CASE("connection limits: 0 means no limit", "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 0}});
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 40; ++i) {
        clients.push_back(upgradeFrom(server.port()));
        REQUIRE(clients.back()->upgraded());
    }
    CHECK(server.transport().connectionsFrom("127.0.0.1") == 40);
}

TEST_CASE("connection limits: a flood of upgrades over the limit never reaches an HTTP thread",
          "[connection-limits]") {
    // Refused on the pre-accept thread from the raw head: the HTTP pool (threads start on
    // demand) does not grow, and a well-behaved client from elsewhere is not slowed down.
    raiseFdLimit(4096);
    RunningTransport server({{"maxConnectionsPerAddress", 1}}, {},
                            {{"trustedProxies", "127.0.0.1"}});
    auto holder = upgradeFrom(server.port(), "X-Forwarded-For: 203.0.113.9\r\n");
    REQUIRE(holder->upgraded());
    const int threadsBefore = threadCount();
    constexpr int kFlood = 1000;
    const auto start = Clock::now();
    std::vector<std::unique_ptr<WsClient>> flood;
    for (int i = 0; i < kFlood; ++i) {
        flood.push_back(std::make_unique<WsClient>(server.port()));
        flood.back()->sendHandshake("dGhlIHNhbXBsZSBub25jZQ==", "X-Forwarded-For: 203.0.113.9\r\n");
    }
    int refused = 0;
    for (auto& client : flood) {
        if (client->awaitHandshake(Ms(3000)).find(" 429 ") != std::string::npos)
            ++refused;
    }
    const auto elapsed = std::chrono::duration_cast<Ms>(Clock::now() - start);
    std::cout << "[connection-limits] " << kFlood << " upgrades over the limit refused in "
              << elapsed.count() << " ms; threads " << threadsBefore << " -> " << threadCount()
              << "\n";
    CHECK(refused == kFlood);
    CHECK(threadCount() == threadsBefore);
    auto other = upgradeFrom(server.port(), "X-Forwarded-For: 198.51.100.4\r\n");
    CHECK(other->upgraded());
}

namespace {

bool waitPending(RunningTransport& server, std::size_t count) {
    const auto deadline = Clock::now() + Ms(3000);
    while (server.transport().pendingHandshakes() != count) {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(Ms(5));
    }
    return true;
}

bool closedByServer(RawSocket& socket, Ms within) {
    std::string ignored;
    const auto deadline = Clock::now() + within;
    while (!socket.eof() && Clock::now() < deadline)
        socket.receiveSome(ignored, Ms(50));
    return socket.eof();
}

}  // namespace

TEST_CASE("connection limits: one address keeps at most its limit waiting for a request head",
          "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 3}, {"handshakeTimeoutSeconds", 20}});
    std::vector<std::unique_ptr<RawSocket>> silent;
    for (int i = 0; i < 3; ++i)
        silent.push_back(std::make_unique<RawSocket>(server.port()));
    REQUIRE(waitPending(server, 3));
    // One more silent connection from the same address is closed at once, not after 20 s.
    RawSocket extra(server.port());
    CHECK(closedByServer(extra, Ms(2000)));
    CHECK(server.transport().pendingHandshakes() == 3);
    // One of them sends its request and leaves the waiting room: there is room again.
    silent[0]->sendAll(upgradeRequest());
    REQUIRE(waitPending(server, 2));
    RawSocket next(server.port());
    REQUIRE(waitPending(server, 3));
    CHECK_FALSE(closedByServer(next, Ms(300)));
}

TEST_CASE("connection limits: a trusted proxy may have any number waiting", "[connection-limits]") {
    RunningTransport server({{"maxConnectionsPerAddress", 2}, {"handshakeTimeoutSeconds", 20}}, {},
                            {{"trustedProxies", "127.0.0.1"}});
    std::vector<std::unique_ptr<RawSocket>> waiting;
    for (int i = 0; i < 8; ++i)
        waiting.push_back(std::make_unique<RawSocket>(server.port()));
    CHECK(waitPending(server, 8));
}
