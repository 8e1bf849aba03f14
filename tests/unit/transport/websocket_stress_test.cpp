// Hidden by default ("[.]"): run with  fp_transport_tests "[stress]".
#include <catch2/catch.hpp>

#include <iostream>

#include "transport_test_support.hpp"

using namespace fp::websocket;
using namespace fp::websocket::testing;

TEST_CASE("stress: 2000 idle connections are served without a thread each", "[.][stress]") {
    RunningTransport server({{"maxConnectionsPerAddress", 0}});  // every client is 127.0.0.1
    const int threadsBefore = threadCount();
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 2000; ++i) {
        clients.push_back(std::make_unique<WsClient>(server.port()));
        clients.back()->handshake();
        REQUIRE(clients.back()->upgraded());
    }
    CHECK(server.host().waitOpened(2000, std::chrono::milliseconds(5000)));
    CHECK(server.transport().stats().openConnections == 2000);
    CHECK(threadCount() <= threadsBefore + 16);  // HTTP pool growth at most
    for (int i = 0; i < 2000; i += 97) {
        clients[i]->sendText("hello " + std::to_string(i));
        auto echo = clients[i]->readFrame();
        REQUIRE(echo);
        CHECK(echo->payload == "hello " + std::to_string(i));
    }
}

TEST_CASE("stress: a 2000-connection storm while 1000 silent connections wait", "[.][stress]") {
    REQUIRE(raiseFdLimit(16384) >= 6400);  // client and server side of 3000 connections
    RunningTransport server({{"maxConnectionsPerAddress", 0}});  // every client is 127.0.0.1
    server.host().welcome = "{\"type\":\"welcome\"}";
    const int threadsBefore = threadCount();
    std::vector<std::unique_ptr<RawSocket>> silent;
    for (int i = 0; i < 1000; ++i) {
        silent.push_back(std::make_unique<RawSocket>(server.port()));
        if (i % 2 == 1)
            silent.back()->sendAll("GET /ws HTTP/1.1\r\nHost: x\r\n");  // never finished
    }
    const StormResult storm = handshakeStorm(server, 2000);
    std::cout << "[stress] 2000-connection storm beside 1000 silent ones: requests sent in "
              << storm.connecting.count() << " ms, all welcomed in " << storm.total.count()
              << " ms\n";
    CHECK(storm.welcomed == 2000);
    CHECK(storm.total < std::chrono::milliseconds(5000));
    CHECK(server.transport().pendingHandshakes() == 1000);
    CHECK(threadCount() <= threadsBefore + 16);
}
