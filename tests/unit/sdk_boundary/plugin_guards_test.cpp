// No exception crosses the plugin boundary: each guard turns a throw from any member into the
// interface's own failure answer, names the plugin and the call in it and in the log, and a
// core callback that throws never unwinds into a plugin's thread.
#include <spdlog/sinks/ostream_sink.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "plugins/guarded_plugins.hpp"
#include "throwing_fakes.hpp"

namespace {
using fp::sdk::StatusCode;

struct CapturedLog {
    std::ostringstream text;
    std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>(
        "guards", std::make_shared<spdlog::sinks::ostream_sink_st>(text));
    std::size_t lines() const {
        auto s = text.str();
        return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
    }
};

void checkUnavailable(const fp::sdk::Status& status, const std::string& call) {
    INFO(call << ": " << status.message);
    CHECK(status.code == StatusCode::unavailable);
    CHECK(status.message.find("storage (plugin test-storage) threw from " + call) !=
          std::string::npos);
}
}  // namespace

TEST_CASE("a storage that throws from every call answers unavailable, naming plugin and call",
          "[boundary]") {
    CapturedLog log;
    auto storage = fp::plugins::guardStorage(std::make_shared<fp::testing::ThrowingStorage>(),
                                             "storage (plugin test-storage)", log.logger);
    checkUnavailable(storage->load("r").status, "load");
    checkUnavailable(storage->compareAndSwap({}).status, "compareAndSwap");
    checkUnavailable(storage->remove("r"), "remove");
    checkUnavailable(storage->claimOutbox("c", 5, std::chrono::seconds(1)).status, "claimOutbox");
    checkUnavailable(storage->ackOutbox("x"), "ackOutbox");
    checkUnavailable(storage->releaseOutbox({}), "releaseOutbox");
    checkUnavailable(storage->failOutbox({}), "failOutbox");
    checkUnavailable(storage->listFailedOutbox().status, "listFailedOutbox");
    checkUnavailable(storage->requeueFailedOutbox("x"), "requeueFailedOutbox");
    checkUnavailable(storage->outboxStats().status, "outboxStats");
    checkUnavailable(storage->heartbeat("i", std::chrono::seconds(1)), "heartbeat");
    checkUnavailable(storage->liveInstances().status, "liveInstances");
    CHECK_FALSE(storage->publishesOnCommit());
    CHECK(log.text.str().find("storage (plugin test-storage) threw from load: boom in load") !=
          std::string::npos);
}

TEST_CASE("start, stop and readiness that throw fail start, are logged, report not ready",
          "[boundary]") {
    CapturedLog log;
    auto storage = fp::plugins::guardStorage(std::make_shared<fp::testing::ThrowingStorage>(),
                                             "storage (plugin test-storage)", log.logger);
    auto started = storage->start();
    CHECK(started.code == StatusCode::internal);
    CHECK(started.message == "storage (plugin test-storage) threw from start: boom in start");
    CHECK_NOTHROW(storage->stop());
    CHECK(log.text.str().find("threw from stop: boom in stop") != std::string::npos);
    auto ready = storage->readiness();
    CHECK_FALSE(ready.ready);
    CHECK(ready.reason.find("threw from readiness") != std::string::npos);
}

TEST_CASE("something thrown that is not a std::exception is caught too", "[boundary]") {
    CapturedLog log;
    auto storage = fp::plugins::guardStorage(std::make_shared<fp::testing::ThrowingStorage>(true),
                                             "storage (plugin test-storage)", log.logger);
    auto loaded = storage->load("r");
    CHECK(loaded.status.code == StatusCode::unavailable);
    CHECK(loaded.status.message.find("not a std::exception") != std::string::npos);
}

TEST_CASE("a plugin that throws on every call does not flood the log", "[boundary]") {
    CapturedLog log;
    auto storage = fp::plugins::guardStorage(std::make_shared<fp::testing::ThrowingStorage>(),
                                             "storage (plugin test-storage)", log.logger);
    for (int i = 0; i < 500; ++i)
        storage->load("r");
    CHECK(log.lines() == 10);
    for (int i = 0; i < 500; ++i)
        storage->load("r");
    CHECK(log.lines() == 11);  // the 1000th is logged with its count
    CHECK(log.text.str().find("1000 so far") != std::string::npos);
}

TEST_CASE("a bus that throws answers unavailable, a throwing core listener stays in the core",
          "[boundary]") {
    CapturedLog log;
    auto bus = fp::plugins::guardBus(std::make_shared<fp::testing::ThrowingBus>(),
                                     "bus (plugin test-bus)", log.logger);
    for (const auto& status :
         {bus->publish("r", 1, "{}"), bus->subscribe("r"), bus->unsubscribe("r")}) {
        CHECK(status.code == StatusCode::unavailable);
        CHECK(status.message.find("bus (plugin test-bus) threw from") != std::string::npos);
    }
    fp::testing::ThrowingListener listener;
    CHECK_NOTHROW(bus->setListener(&listener));
    CHECK(bus->start().code == StatusCode::internal);

    auto loopback = fp::plugins::guardBus(std::make_shared<fp::testing::LoopbackBus>(),
                                          "bus (plugin loopback)", log.logger);
    loopback->setListener(&listener);
    // The listener throws from onRoomState and onResync, called on the bus's thread.
    CHECK(loopback->publish("r", 1, "{}").ok());
    CHECK(log.text.str().find("core (called by bus (plugin loopback)) threw from the core's "
                              "onRoomState") != std::string::npos);
    loopback->setListener(nullptr);
}

TEST_CASE("a sink that throws from deliver is paused with the reason, history is unavailable",
          "[boundary]") {
    CapturedLog log;
    auto sink = fp::plugins::guardSink(std::make_shared<fp::testing::ThrowingSink>(),
                                       "sink results (plugin test-sink)", log.logger);
    auto delivered = sink->deliver("r1", "{}");
    CHECK(delivered.outcome == fp::sdk::DeliveryOutcome::paused);
    CHECK(delivered.reason ==
          "sink results (plugin test-sink) threw from deliver: boom in deliver");
    CHECK_FALSE(sink->canReadHistory());
    auto history = sink->readHistory("room");
    CHECK(history.status.code == StatusCode::unavailable);
    CHECK(history.results.empty());
    CHECK(sink->start().code == StatusCode::internal);
    CHECK_NOTHROW(sink->stop());
    CHECK_FALSE(sink->readiness().ready);
}

TEST_CASE("a transport that throws is logged and the core carries on", "[boundary]") {
    CapturedLog log;
    auto transport = fp::plugins::guardTransport(std::make_shared<fp::testing::ThrowingTransport>(),
                                                 "transport (plugin test-transport)", log.logger);
    CHECK_NOTHROW(transport->setHost(nullptr));
    CHECK_NOTHROW(transport->setListenAddress("127.0.0.1:0"));
    CHECK_NOTHROW(transport->setWebRoot("/nowhere"));
    CHECK(transport->start().code == StatusCode::internal);
    CHECK(transport->boundAddress().empty());
    auto prepared = transport->prepare("{}");
    REQUIRE(prepared != nullptr);
    CHECK_NOTHROW(transport->send(1, prepared));
    CHECK_NOTHROW(transport->close(1, 1000, "bye"));
    CHECK_NOTHROW(transport->stopAccepting());
    CHECK_NOTHROW(transport->closeAll(1001, "bye", 10));
    CHECK(transport->stats().openConnections == 0);
    CHECK_NOTHROW(transport->stop());
    for (const char* call : {"setHost", "setListenAddress", "setWebRoot", "boundAddress", "prepare",
                             "send", "close", "stopAccepting", "closeAll", "stats", "stop"}) {
        INFO(call);
        CHECK(log.text.str().find(std::string("transport (plugin test-transport) threw from ") +
                                  call) != std::string::npos);
    }
}

TEST_CASE("a core host that throws refuses the connection or answers 500, not the transport",
          "[boundary]") {
    CapturedLog log;
    auto inner = std::make_shared<fp::testing::HostKeepingTransport>();
    auto transport = fp::plugins::guardTransport(inner, "transport (plugin keeper)", log.logger);
    fp::testing::ThrowingHost host;
    transport->setHost(&host);
    REQUIRE(inner->host != nullptr);
    std::string refusal;
    CHECK_FALSE(inner->host->acceptConnection({}, refusal));
    CHECK(refusal == "internal error");
    CHECK_NOTHROW(inner->host->onConnectionOpened(1, {}));
    CHECK_NOTHROW(inner->host->onTextMessage(1, "{}"));
    CHECK_NOTHROW(inner->host->onConnectionClosed(1, 1000));
    CHECK_FALSE(inner->host->isCoreRoute("/healthz"));
    auto response = inner->host->handleHttp({});
    CHECK(response.status == 500);
    CHECK(log.text.str().find("core (called by transport (plugin keeper)) threw from handleHttp") !=
          std::string::npos);
    // Working calls pass straight through.
    CHECK(transport->boundAddress() == "127.0.0.1:1");
    CHECK(transport->prepare("x")->encoded == "x");
}
