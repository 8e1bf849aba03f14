// The real transport over real sockets on 127.0.0.1 (port 0), with an echo host.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "transport_test_support.hpp"

using namespace fp::websocket;
using namespace fp::websocket::testing;
using Ms = std::chrono::milliseconds;

namespace {

std::string maskedText(const std::string& text, bool fin = true) {
    return encodeFrame(Opcode::text, text, fin, MaskKey{1, 2, 3, 4});
}

void expectClose(WsClient& client, std::uint16_t code) {
    auto frame = client.readNonPing();
    REQUIRE(frame);
    CHECK(frame->opcode == Opcode::close);
    CHECK(frame->closeCode() == code);
}

}  // namespace

TEST_CASE("transport: handshake answers 101 with the accept key and tells the host",
          "[transport]") {
    RunningTransport server;
    WsClient client(server.port());
    const std::string head = client.handshake();
    CHECK(head.rfind("HTTP/1.1 101", 0) == 0);
    CHECK(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
    const auto id = server.host().waitOpened(1);
    REQUIRE(id);
    const auto info = server.host().infoOf(*id);
    REQUIRE(info);
    CHECK(info->origin == "http://test.local");
    CHECK(info->path == "/ws");
    CHECK(info->host == "127.0.0.1");
    CHECK(info->remoteAddress.rfind("127.0.0.1:", 0) == 0);
    CHECK(server.transport().stats().openConnections == 1);
}

TEST_CASE("transport: a refused upgrade gets 403 with the refusal", "[transport]") {
    RunningTransport server;
    server.host().refuse = true;
    WsClient client(server.port());
    const std::string head = client.handshake();
    CHECK(head.rfind("HTTP/1.1 403", 0) == 0);
    CHECK_FALSE(client.upgraded());
    CHECK(server.host().openedIds().empty());
}

TEST_CASE("transport: echo, increasing ids, and a frame sent along with the request",
          "[transport]") {
    RunningTransport server;
    auto [first, firstId] = server.connect();
    first->sendText("{\"type\":\"ping\"}");
    auto echo = first->readFrame();
    REQUIRE(echo);
    CHECK(echo->opcode == Opcode::text);
    CHECK_FALSE(echo->masked);
    CHECK(echo->payload == "{\"type\":\"ping\"}");

    // The first frame travels in the same packet as the upgrade request: POCO has already
    // buffered it when the socket is detached, and it must not be lost.
    WsClient eager(server.port());
    eager.handshake("dGhlIHNhbXBsZSBub25jZQ==", {}, maskedText("early bird"));
    REQUIRE(eager.upgraded());
    echo = eager.readFrame();
    REQUIRE(echo);
    CHECK(echo->payload == "early bird");
    const auto secondId = server.host().waitOpened(2);
    REQUIRE(secondId);
    CHECK(*secondId > firstId);
}

TEST_CASE("transport: 16384-byte message echoed, 16385 closes with 1009", "[transport]") {
    RunningTransport server;
    auto [client, id] = server.connect();
    client->sendText(repeat('a', 16384));
    auto echo = client->readFrame();
    REQUIRE(echo);
    CHECK(echo->payload.size() == 16384);

    // Only the header of the oversized frame: the server must decide without the payload.
    client->sendRaw(maskedText(repeat('b', 16385)).substr(0, 8));
    const auto start = std::chrono::steady_clock::now();
    expectClose(*client, closecode::messageTooBig);
    CHECK(std::chrono::steady_clock::now() - start < Ms(500));
    // The client keeps its socket open: the server lingers about a second, then closes.
    CHECK(server.host().waitClosed(id, Ms(2000)) == std::optional<std::uint16_t>(1009));
    CHECK(client->waitForEof(Ms(500)));
}

TEST_CASE("transport: a binary frame closes with 1003, invalid UTF-8 with 1007, unmasked 1002",
          "[transport]") {
    RunningTransport server;
    auto [binary, binaryId] = server.connect();
    binary->sendFrame(Opcode::binary, "\x01\x02\x03");
    expectClose(*binary, closecode::unsupportedData);
    binary->socket().close();
    CHECK(server.host().waitClosed(binaryId) == std::optional<std::uint16_t>(1003));

    auto [badText, badTextId] = server.connect();
    badText->sendText("{\"name\":\"\xC3\x28\"}");
    expectClose(*badText, closecode::invalidPayload);
    badText->socket().close();
    CHECK(server.host().waitClosed(badTextId) == std::optional<std::uint16_t>(1007));

    auto [unmasked, unmaskedId] = server.connect();
    unmasked->sendFrame(Opcode::text, "hi", true, false);
    expectClose(*unmasked, closecode::protocolError);
    unmasked->socket().close();
    CHECK(server.host().waitClosed(unmaskedId) == std::optional<std::uint16_t>(1002));
    CHECK(server.host().messagesOf(unmaskedId).empty());
}

TEST_CASE("transport: ping gets a pong with the same data", "[transport]") {
    RunningTransport server;
    auto [client, id] = server.connect();
    client->sendFrame(Opcode::ping, "are you there");
    auto pong = client->readFrame();
    REQUIRE(pong);
    CHECK(pong->opcode == Opcode::pong);
    CHECK(pong->payload == "are you there");
}

TEST_CASE("transport: a fragmented message with a ping inside is reassembled", "[transport]") {
    RunningTransport server;
    auto [client, id] = server.connect();
    client->sendFrame(Opcode::text, "{\"type\":", false);
    client->sendFrame(Opcode::ping, "mid");
    client->sendFrame(Opcode::continuation, "\"vote\",\"card\":\"\xC2", false);
    client->sendFrame(Opcode::continuation, "\xBD\"}", true);
    auto pong = client->readFrame();
    REQUIRE(pong);
    CHECK(pong->opcode == Opcode::pong);
    CHECK(pong->payload == "mid");
    auto echo = client->readFrame();
    REQUIRE(echo);
    CHECK(echo->payload == "{\"type\":\"vote\",\"card\":\"\xC2\xBD\"}");
    CHECK(server.host().messagesOf(id).size() == 1);
}

TEST_CASE("transport: a client stalled mid-frame does not delay another client", "[transport]") {
    RunningTransport server;  // one event loop: both clients share it
    auto [stalled, stalledId] = server.connect();
    auto [other, otherId] = server.connect();
    const std::string frame = maskedText(repeat('s', 3000));
    stalled->sendRaw(frame.substr(0, 1000));  // header and part of the payload, then nothing

    const auto start = std::chrono::steady_clock::now();
    other->sendText("quick");
    auto echo = other->readFrame(Ms(1000));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(echo);
    CHECK(echo->payload == "quick");
    CHECK(elapsed < Ms(300));

    stalled->sendRaw(frame.substr(1000));  // the rest arrives: the message is complete
    echo = stalled->readFrame();
    REQUIRE(echo);
    CHECK(echo->payload == repeat('s', 3000));
}

TEST_CASE("transport: a client that never reads is closed when its queue overflows",
          "[transport]") {
    RunningTransport server({{"maxQueuedBytes", 65536}});
    auto [sleeper, sleeperId] = server.connect(4096);  // small receive buffer, never reads
    auto [reader, readerId] = server.connect();

    const auto big = server.transport().prepare(repeat('x', 8000));
    std::optional<std::uint16_t> code;
    // Kernel buffers take a few MB before the queue starts to grow; 20 MB is plenty.
    for (int i = 0; i < 2500 && !code; ++i) {
        server.transport().send(sleeperId, big);
        if (i % 100 == 99)
            code = server.host().waitClosed(sleeperId, Ms(1));
    }
    if (!code)
        code = server.host().waitClosed(sleeperId, Ms(3000));
    REQUIRE(code);
    CHECK(*code == closecode::policyViolation);
    CHECK(server.transport().stats().bytesQueued < 200000);  // nothing left buffered for it

    reader->sendText("still here");
    auto echo = reader->readFrame();
    REQUIRE(echo);
    CHECK(echo->payload == "still here");
    CHECK(server.host().closeCounts().at(sleeperId) == 1);
    CHECK(server.host().closeCounts().count(readerId) == 0);
}

TEST_CASE("transport: closeAll delivers queued messages before CLOSE 1001", "[transport]") {
    RunningTransport server({{"ioThreads", 2}});
    auto [a, aId] = server.connect();
    auto [b, bId] = server.connect();
    for (int i = 0; i < 3; ++i) {
        server.transport().send(aId, server.transport().prepare("a" + std::to_string(i)));
        server.transport().send(bId, server.transport().prepare("b" + std::to_string(i)));
    }
    const auto start = std::chrono::steady_clock::now();
    auto closing = std::async(std::launch::async, [&] {
        server.transport().closeAll(closecode::goingAway, "server shutting down", 2000);
    });
    for (auto* client : {a.get(), b.get()}) {
        const char prefix = client == a.get() ? 'a' : 'b';
        for (int i = 0; i < 3; ++i) {
            auto frame = client->readFrame();
            REQUIRE(frame);
            CHECK(frame->opcode == Opcode::text);
            CHECK(frame->payload == std::string(1, prefix) + std::to_string(i));
        }
        auto close = client->readFrame();
        REQUIRE(close);
        CHECK(close->opcode == Opcode::close);
        CHECK(close->closeCode() == closecode::goingAway);
        CHECK(close->payload.substr(2) == "server shutting down");
        client->sendRaw(encodeCloseFrame(closecode::goingAway, {}, MaskKey{9, 9, 9, 9}));
        CHECK(client->waitForEof());
    }
    closing.get();
    CHECK(std::chrono::steady_clock::now() - start < Ms(1500));  // did not wait for the timeout
    CHECK(server.host().waitClosed(aId) == std::optional<std::uint16_t>(1001));
    CHECK(server.host().waitClosed(bId) == std::optional<std::uint16_t>(1001));
    CHECK(server.transport().stats().openConnections == 0);
}

TEST_CASE("transport: closeAll gives up on a silent client after the timeout", "[transport]") {
    RunningTransport server;
    auto [silent, id] = server.connect();
    const auto start = std::chrono::steady_clock::now();
    server.transport().closeAll(closecode::goingAway, "bye", 300);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed >= Ms(250));
    CHECK(elapsed < Ms(1500));
    CHECK(server.host().waitClosed(id, Ms(10)) == std::optional<std::uint16_t>(1001));
    expectClose(*silent, closecode::goingAway);
}

TEST_CASE("transport: close(id) flushes, sends the code, and reports it once", "[transport]") {
    RunningTransport server;
    auto [client, id] = server.connect();
    server.transport().send(id, server.transport().prepare("{\"type\":\"kicked\"}"));
    server.transport().close(id, 4001, "kicked");
    server.transport().send(id, server.transport().prepare("too late"));  // dropped
    auto frame = client->readFrame();
    REQUIRE(frame);
    CHECK(frame->payload == "{\"type\":\"kicked\"}");
    frame = client->readFrame();
    REQUIRE(frame);
    CHECK(frame->opcode == Opcode::close);
    CHECK(frame->closeCode() == 4001);
    CHECK(frame->payload.substr(2) == "kicked");
    client->sendRaw(encodeCloseFrame(4001, {}, MaskKey{1, 1, 1, 1}));
    CHECK(client->waitForEof());
    CHECK(server.host().waitClosed(id) == std::optional<std::uint16_t>(4001));
    server.transport().close(id, 1000, "again");  // unknown id by now: ignored
    server.transport().send(id, server.transport().prepare("ghost"));
    std::this_thread::sleep_for(Ms(50));
    CHECK(server.host().closeCounts().at(id) == 1);
}

TEST_CASE("transport: a client CLOSE is answered and reported with its code", "[transport]") {
    RunningTransport server;
    auto [polite, politeId] = server.connect();
    polite->sendRaw(encodeCloseFrame(1000, "bye", MaskKey{5, 6, 7, 8}));
    expectClose(*polite, 1000);
    CHECK(polite->waitForEof());  // the server closes TCP after the handshake
    CHECK(server.host().waitClosed(politeId) == std::optional<std::uint16_t>(1000));

    auto [rude, rudeId] = server.connect();
    rude->socket().close();  // no CLOSE frame at all
    CHECK(server.host().waitClosed(rudeId) == std::optional<std::uint16_t>(1006));
}

TEST_CASE("transport: server pings, a silent client is closed with 1001, a ponging one stays",
          "[transport][slow]") {
    RunningTransport server({{"pingIntervalSeconds", 1}, {"idleTimeoutSeconds", 2}});
    auto [silent, silentId] = server.connect();
    auto [alive, aliveId] = server.connect();
    bool silentGotPing = false;
    std::optional<std::uint16_t> silentClose;
    int pongsSent = 0;
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < Ms(3300)) {
        if (auto frame = alive->readFrame(Ms(20)); frame && frame->opcode == Opcode::ping) {
            alive->sendFrame(Opcode::pong, frame->payload);
            ++pongsSent;
        }
        if (!silentClose) {
            if (auto frame = silent->readFrame(Ms(20))) {
                if (frame->opcode == Opcode::ping)
                    silentGotPing = true;
                if (frame->opcode == Opcode::close) {
                    silentClose = frame->closeCode();
                    silent->socket().close();  // lets the server finish without its timeout
                }
            }
        }
    }
    CHECK(silentGotPing);
    CHECK(silentClose == std::optional<std::uint16_t>(1001));
    CHECK(server.host().waitClosed(silentId, Ms(3000)) == std::optional<std::uint16_t>(1001));
    CHECK(pongsSent >= 2);
    alive->sendText("still open");
    auto echo = alive->readNonPing();
    REQUIRE(echo);
    CHECK(echo->payload == "still open");
    CHECK(server.host().closeCounts().count(aliveId) == 0);
}

TEST_CASE("transport: stopAccepting refuses new clients, stop closes the rest once",
          "[transport]") {
    auto server = std::make_unique<RunningTransport>();
    auto [client, id] = server->connect();
    const auto port = server->port();
    server->transport().stopAccepting();
    CHECK_FALSE(server->transport().readiness().ready);

    RawSocket late(port);
    CHECK_FALSE(late.connected());  // the listening socket is closed: refused at once

    client->sendText("existing connections keep working");
    auto echo = client->readFrame();
    REQUIRE(echo);
    CHECK(echo->payload == "existing connections keep working");

    EchoHost& host = server->host();
    server->transport().stop();
    CHECK(host.closeCounts().at(id) == 1);
    CHECK(host.waitClosed(id, Ms(10)) == std::optional<std::uint16_t>(1001));
    server->transport().stop();  // idempotent
    server.reset();              // destructor after stop()
}

TEST_CASE("transport: the destructor is safe without start() or stop()", "[transport]") {
    fp::sdk::PluginContext context;
    { WebSocketTransport neverStarted(context); }
    {
        EchoHost host;
        WebSocketTransport running(context);
        running.setHost(&host);
        running.setListenAddress("127.0.0.1:0");
        REQUIRE(running.start().ok());
        CHECK(running.boundAddress().rfind("127.0.0.1:", 0) == 0);
        CHECK(running.boundAddress() != "127.0.0.1:0");
    }
    SUCCEED();
}

TEST_CASE("transport: start reports a port in use with context", "[transport]") {
    RunningTransport first;
    fp::sdk::PluginContext context;
    EchoHost host;
    WebSocketTransport second(context);
    second.setHost(&host);
    second.setListenAddress("127.0.0.1:" + std::to_string(first.port()));
    const auto status = second.start();
    CHECK_FALSE(status.ok());
    CHECK(status.message.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) !=
          std::string::npos);
}
