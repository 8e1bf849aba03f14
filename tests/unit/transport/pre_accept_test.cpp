// The pre-accept stage: connections wait on epoll, not on a thread, until their request head is
// complete; slow or silent clients are cut off at the handshake timeout without delaying others.
#include <catch2/catch.hpp>

#include <cctype>
#include <iostream>
#include <thread>

#include "pre_accept_stage.hpp"
#include "transport_test_support.hpp"

using namespace fp::websocket;
using namespace fp::websocket::testing;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

namespace {

std::string lower(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

Ms since(Clock::time_point start) {
    return std::chrono::duration_cast<Ms>(Clock::now() - start);
}

bool waitPending(RunningTransport& server, std::size_t count, Ms timeout = Ms(2000)) {
    const auto deadline = Clock::now() + timeout;
    while (server.transport().pendingHandshakes() != count) {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(Ms(5));
    }
    return true;
}

// Waits until the server closes `socket` (reading and dropping anything it sends).
bool waitEof(RawSocket& socket, Clock::time_point deadline) {
    std::string ignored;
    while (!socket.eof() && Clock::now() < deadline)
        socket.receiveSome(ignored, Ms(50));
    return socket.eof();
}

// A client that must get through while others misbehave: handshake and one echo.
Ms timeHandshakeAndEcho(std::uint16_t port) {
    const auto start = Clock::now();
    WsClient client(port);
    client.handshake();
    REQUIRE(client.upgraded());
    client.sendText("through");
    const auto echo = client.readNonPing(Ms(2000));
    REQUIRE(echo);
    CHECK(echo->payload == "through");
    return since(start);
}

}  // namespace

TEST_CASE("pre-accept: the end of the request head is found", "[pre-accept]") {
    CHECK(findRequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\n") ==
          std::optional<std::size_t>(27));
    CHECK(findRequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody") ==
          std::optional<std::size_t>(27));
    CHECK(findRequestHeadEnd("GET / HTTP/1.0\n\n") == std::optional<std::size_t>(16));
    CHECK(findRequestHeadEnd("GET / HTTP/1.0\r\n\n") == std::optional<std::size_t>(17));
    CHECK_FALSE(findRequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"));
    CHECK_FALSE(findRequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r"));
    CHECK_FALSE(findRequestHeadEnd(""));
    // Blank lines before the request line are skipped by POCO: they end nothing.
    CHECK_FALSE(findRequestHeadEnd("\r\n\r\n\r\n"));
    CHECK_FALSE(findRequestHeadEnd("\r\n\r\nGET / HTTP/1.1\r\n"));
    CHECK(findRequestHeadEnd("\r\n\r\nGET / HTTP/1.1\r\n\r\n") == std::optional<std::size_t>(22));
    // Resuming where an earlier, shorter peek stopped finds a terminator that straddles it.
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t from = 0; from < head.size(); ++from) {
        INFO(from);
        CHECK(findRequestHeadEnd(head, from) == std::optional<std::size_t>(head.size()));
    }
}

TEST_CASE("pre-accept: silent and half-sent requests hold no thread and do not block others",
          "[pre-accept]") {
    RunningTransport server({{"handshakeTimeoutSeconds", 1}});
    const int threadsBefore = threadCount();
    const auto connected = Clock::now();
    std::vector<std::unique_ptr<RawSocket>> stalled;
    for (int i = 0; i < 128; ++i) {
        stalled.push_back(std::make_unique<RawSocket>(server.port()));
        REQUIRE(stalled.back()->connected());
        if (i % 2 == 1)
            stalled.back()->sendAll("GET /ws HT");  // half a request line, then nothing
    }
    REQUIRE(waitPending(server, 128));

    // With POCO accepting, 16 of these held all 16 HTTP threads: this client waited ~10 s.
    const Ms took = timeHandshakeAndEcho(server.port());
    CHECK(took < Ms(1000));
    CHECK(threadCount() <= threadsBefore + 1);  // at most one more pool thread for the handshake
    CHECK(since(connected) < Ms(900));
    CHECK(server.transport().pendingHandshakes() == 128);  // nobody cut off before the timeout

    for (auto& socket : stalled)
        CHECK(waitEof(*socket, connected + Ms(2500)));
    CHECK(since(connected) >= Ms(950));
    CHECK(server.transport().pendingHandshakes() == 0);
    CHECK(server.host().openedIds().size() == 1);
    CHECK(threadCount() <= threadsBefore + 1);
}

TEST_CASE("pre-accept: a head sent one byte every 50 ms is served once complete", "[pre-accept]") {
    RunningTransport server({{"handshakeTimeoutSeconds", 3}});
    SECTION("plain HTTP") {
        RawSocket drip(server.port());
        const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        for (std::size_t i = 0; i < request.size(); ++i) {
            drip.sendAll(request.substr(i, 1));
            if (i == 10)  // meanwhile, others are served at once
                CHECK(timeHandshakeAndEcho(server.port()) < Ms(300));
            std::this_thread::sleep_for(Ms(50));
        }
        std::string reply;
        const auto deadline = Clock::now() + Ms(2000);
        while (!drip.eof() && Clock::now() < deadline)
            drip.receiveSome(reply, Ms(100));
        CHECK(reply.rfind("HTTP/1.1 201", 0) == 0);
        CHECK(drip.eof());  // no keep-alive: the server closes after the answer
    }
    SECTION("WebSocket upgrade") {
        WsClient drip(server.port());
        const std::string request = upgradeRequest();
        const std::size_t slowPart = 24;
        drip.sendRaw(request.substr(0, request.size() - slowPart));
        for (std::size_t i = request.size() - slowPart; i < request.size(); ++i) {
            std::this_thread::sleep_for(Ms(50));
            drip.sendRaw(request.substr(i, 1));
        }
        drip.awaitHandshake();
        REQUIRE(drip.upgraded());
        drip.sendText("finally");
        const auto echo = drip.readNonPing();
        REQUIRE(echo);
        CHECK(echo->payload == "finally");
    }
}

TEST_CASE("pre-accept: a head still incomplete at the deadline is closed, others unaffected",
          "[pre-accept]") {
    RunningTransport server({{"handshakeTimeoutSeconds", 1}});
    RawSocket drip(server.port());
    const auto start = Clock::now();
    drip.sendAll("GET / HTTP/1.1\r\nX-Slow: ");
    std::string ignored;
    bool othersChecked = false;
    while (!drip.eof() && since(start) < Ms(3000)) {
        drip.sendAll("a");
        drip.receiveSome(ignored, Ms(50));  // the 50 ms pause, watching for the close
        if (!othersChecked && since(start) > Ms(300)) {
            othersChecked = true;
            CHECK(timeHandshakeAndEcho(server.port()) < Ms(300));
        }
    }
    const Ms closedAfter = since(start);
    CHECK(drip.eof());
    CHECK(ignored.empty());  // just closed: no thread ever looked at it
    CHECK(closedAfter >= Ms(950));
    CHECK(closedAfter < Ms(1600));
    CHECK(server.transport().pendingHandshakes() == 0);
}

TEST_CASE("pre-accept: an oversized head gets 431, a large one within the limit is served",
          "[pre-accept]") {
    RunningTransport server;
    auto reply = httpExchange(server.port(),
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + repeat('a', 9000));
    CHECK(reply.status == 431);
    CHECK(lower(reply.header("Connection")) == "close");

    reply = httpGet(server.port(), "/healthz", "X-Big: " + repeat('a', 7000) + "\r\n");
    CHECK(reply.status == 201);
    CHECK(server.transport().pendingHandshakes() == 0);
}

TEST_CASE("pre-accept: a peer that leaves before finishing its head is forgotten", "[pre-accept]") {
    RunningTransport server;
    {
        RawSocket quitter(server.port());
        quitter.sendAll("GET / HTTP/1.1\r\n");
        REQUIRE(waitPending(server, 1));
    }
    CHECK(waitPending(server, 0, Ms(1000)));
    CHECK(server.host().httpRequests().empty());
}

TEST_CASE("pre-accept: beyond maxPendingHandshakes the oldest waiting connection is closed",
          "[pre-accept]") {
    RunningTransport server({{"maxPendingHandshakes", 16}});
    std::vector<std::unique_ptr<RawSocket>> idle;
    for (int i = 0; i < 16; ++i) {
        idle.push_back(std::make_unique<RawSocket>(server.port()));
        REQUIRE(waitPending(server, idle.size()));  // one by one: their order is known
    }
    RawSocket newcomer(server.port());
    CHECK(waitEof(*idle.front(), Clock::now() + Ms(1000)));
    CHECK(waitPending(server, 16));
    std::string nothing;
    CHECK_FALSE(idle[1]->receiveSome(nothing, Ms(50)));
    CHECK_FALSE(idle[1]->eof());
    // A client that talks still gets through (closing the next oldest on its way).
    CHECK(timeHandshakeAndEcho(server.port()) < Ms(1000));
}

TEST_CASE("pre-accept: stopAccepting closes the connections still waiting", "[pre-accept]") {
    RunningTransport server;
    RawSocket waiting(server.port());
    waiting.sendAll("GET / HT");
    REQUIRE(waitPending(server, 1));
    server.transport().stopAccepting();
    CHECK(server.transport().pendingHandshakes() == 0);
    CHECK(waitEof(waiting, Clock::now() + Ms(500)));
    RawSocket late(server.port());
    CHECK_FALSE(late.connected());
}

TEST_CASE("pre-accept: no keep-alive, request bodies are small and must not drip", "[pre-accept]") {
    RunningTransport server({{"handshakeTimeoutSeconds", 1}});
    // Without "Connection: close" from the client the server still closes after the answer.
    auto start = Clock::now();
    auto reply = httpExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(reply.status == 201);
    CHECK(lower(reply.header("Connection")) == "close");
    CHECK(since(start) < Ms(1000));

    reply = httpExchange(server.port(),
                         "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\nabc");
    CHECK(reply.status == 413);

    start = Clock::now();
    reply = httpExchange(server.port(),
                         "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
    CHECK(reply.status == 408);
    CHECK(since(start) < Ms(2500));
    CHECK(server.host().httpRequests().size() == 1);
}

TEST_CASE("pre-accept: stop() leaves no descriptor and no thread behind", "[pre-accept]") {
    const int fdsBefore = openFdCount();
    const int threadsBefore = threadCount();
    {
        RunningTransport server({{"handshakeTimeoutSeconds", 1}});
        {
            RawSocket expired(server.port());
            CHECK(waitEof(expired, Clock::now() + Ms(2500)));
        }
        { RawSocket quitter(server.port()); }
        CHECK(httpGet(server.port(), "/healthz").status == 201);
        CHECK(httpExchange(server.port(), "GET / HTTP/1.1\r\nX: " + repeat('a', 9000)).status ==
              431);
        auto [client, id] = server.connect();
        client->sendText("hi");
        CHECK(client->readNonPing());
        RawSocket idle(server.port());
        RawSocket half(server.port());
        half.sendAll("GET /ws HTTP/1.1\r\n");
        REQUIRE(waitPending(server, 2));  // idle and half: stop() must close them
        server.transport().stop();
    }
    CHECK(openFdCount() == fdsBefore);
    CHECK(threadCount() == threadsBefore);
}

TEST_CASE("pre-accept: 2000 connections opened at once all get their welcome", "[pre-accept]") {
    // Two descriptors per connection (client and server side) in this one process.
    const long limit = raiseFdLimit(8192);
    const int count = limit >= 4400 ? 2000 : 500;
    if (count < 2000)
        WARN("RLIMIT_NOFILE is " << limit << ": the storm uses " << count << " connections");
    RunningTransport server({{"maxConnectionsPerAddress", 0}});  // every client is 127.0.0.1
    server.host().welcome = "{\"type\":\"welcome\"}";
    const int threadsBefore = threadCount();
    const StormResult storm = handshakeStorm(server, count);
    std::cout << "[pre-accept] " << count << "-connection storm: requests sent in "
              << storm.connecting.count() << " ms, all welcomed in " << storm.total.count()
              << " ms\n";
    CHECK(storm.connecting < Ms(1000));
    CHECK(storm.welcomed == count);
    CHECK(storm.total < Ms(5000));
    CHECK(server.host().openedIds().size() == static_cast<std::size_t>(count));
    CHECK(threadCount() <= threadsBefore + 16);  // the HTTP workers at most
}
