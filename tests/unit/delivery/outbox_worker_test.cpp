#include <catch2/catch.hpp>

#include <spdlog/logger.h>

#include <thread>

#include "config/config_loader.hpp"
#include "delivery/outbox_worker.hpp"
#include "fakes.hpp"

using fp::sdk::DeliveryOutcome;
using fp::testing::OutboxOnlyStorage;
using fp::testing::ScriptedSink;
using namespace std::chrono_literals;

namespace {
struct Rig {
    OutboxOnlyStorage storage;
    std::shared_ptr<ScriptedSink> sink = std::make_shared<ScriptedSink>();
    fp::metrics::MetricsRegistry metrics;
    fp::config::DeliverySettings settings = fp::config::defaultConfig().delivery;
    fp::delivery::ResultLog resultLog{nullptr};
    std::unique_ptr<fp::delivery::OutboxWorker> worker;

    explicit Rig(int maxAttempts = 5) {
        settings.maxAttempts = maxAttempts;
        settings.requestsPerSecond = 1000;
        settings.initialBackoffMs = 40;
        settings.maxBackoffMs = 200;
        worker = std::make_unique<fp::delivery::OutboxWorker>(
            storage, settings, metrics, std::make_shared<spdlog::logger>("test"), "me", resultLog);
        worker->addSink("s", sink);
    }
    // Runs what is due now on this thread, until nothing is.
    void runDue() {
        while (worker->deliverDueNow() > 0) {
        }
    }
    std::string metricsText() const { return metrics.renderPrometheus(); }
};

fp::sdk::DeliveryResult outcome(DeliveryOutcome o, std::chrono::milliseconds after = 0ms,
                                std::string reason = "because") {
    return {o, after, std::move(reason)};
}
}  // namespace

TEST_CASE("a delivered result is acknowledged and counted", "[delivery]") {
    Rig rig;
    rig.storage.add("s", "r1");
    rig.runDue();
    CHECK(rig.storage.acked == std::vector<std::string>{"s/r1"});
    CHECK(rig.storage.pending.empty());
    CHECK_THAT(
        rig.metricsText(),
        Catch::Matchers::Contains("fp_sink_deliveries_total{sink=\"s\",outcome=\"delivered\"} 1"));
}

TEST_CASE("retry honours Retry-After and holds the sink's other records without an attempt",
          "[delivery]") {
    Rig rig;
    rig.storage.add("s", "r1");
    rig.storage.add("s", "r2");
    rig.sink->script.push_back(outcome(DeliveryOutcome::retry, 300ms, "HTTP 429 rate_limited"));
    const auto before = fp::util::nowUnixMs();
    rig.runDue();
    REQUIRE(rig.sink->calls == std::vector<std::string>{"r1"});
    const auto& r1 = rig.storage.pending.at("s/r1").record;
    const auto& r2 = rig.storage.pending.at("s/r2").record;
    CHECK(r1.attempts == 1);
    CHECK(r1.notBeforeMs >= before + 300);
    CHECK(r1.lastError == "HTTP 429 rate_limited");
    CHECK(r2.attempts == 0);  // waited with the sink, spent nothing
    CHECK(r2.notBeforeMs >= before + 290);
    std::this_thread::sleep_for(350ms);
    rig.runDue();
    CHECK(rig.storage.pending.empty());
    CHECK(rig.storage.acked.size() == 2);
}

TEST_CASE("failed keeps the record for an operator", "[delivery]") {
    Rig rig;
    rig.storage.add("s", "r1");
    rig.sink->script.push_back(outcome(DeliveryOutcome::failed, 0ms, "HTTP 400 validation_error"));
    rig.runDue();
    REQUIRE(rig.storage.failed.count("s/r1") == 1);
    CHECK(rig.storage.failed.at("s/r1").lastError == "HTTP 400 validation_error");
    CHECK_THAT(rig.metricsText(), Catch::Matchers::Contains(
                                      "fp_sink_deliveries_total{sink=\"s\",outcome=\"failed\"} 1"));
}

TEST_CASE("after maxAttempts retries the record is kept as failed", "[delivery]") {
    Rig rig(3);
    rig.storage.add("s", "r1");
    for (int i = 0; i < 3; ++i)
        rig.sink->script.push_back(outcome(DeliveryOutcome::retry, 30ms, "HTTP 503"));
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(60ms);
        rig.runDue();
    }
    REQUIRE(rig.storage.failed.count("s/r1") == 1);
    CHECK(rig.storage.failed.at("s/r1").attempts == 3);
    CHECK(rig.sink->calls.size() == 3);
}

TEST_CASE("paused stops the sink, readiness says why, until it works again", "[delivery]") {
    Rig rig;
    rig.storage.add("s", "r1");
    rig.storage.add("s", "r2");
    rig.sink->script.push_back(outcome(DeliveryOutcome::paused, 150ms, "HTTP 401 unauthorized"));
    rig.runDue();
    CHECK(rig.sink->calls.size() == 1);  // r2 was not tried against a paused sink
    REQUIRE(rig.worker->pausedReasons().size() == 1);
    CHECK(rig.worker->pausedReasons()[0] == "sink s is paused: HTTP 401 unauthorized");
    CHECK(rig.worker->pausedSinks().at("s"));
    CHECK(rig.storage.pending.at("s/r1").record.attempts == 0);
    CHECK(rig.storage.pending.at("s/r2").record.attempts == 0);

    // Still paused when the pause has run out but nothing was delivered yet.
    std::this_thread::sleep_for(200ms);
    CHECK(rig.worker->pausedReasons().size() == 1);
    rig.runDue();
    CHECK(rig.worker->pausedReasons().empty());
    CHECK_FALSE(rig.worker->pausedSinks().at("s"));
    CHECK(rig.storage.acked.size() == 2);
}

TEST_CASE("a sink that throws is paused, not crashed", "[delivery]") {
    Rig rig;
    rig.storage.add("s", "r1");
    rig.sink->throwNext = true;
    rig.runDue();
    REQUIRE(rig.worker->pausedReasons().size() == 1);
    CHECK(rig.worker->pausedReasons()[0] == "sink s is paused: sink threw: boom");
    CHECK(rig.storage.pending.count("s/r1") == 1);
}

TEST_CASE("a record for a sink this server does not have is kept as failed", "[delivery]") {
    Rig rig;
    rig.storage.add("gone", "r1");
    rig.runDue();
    REQUIRE(rig.storage.failed.count("gone/r1") == 1);
    CHECK(rig.storage.failed.at("gone/r1").lastError.find("no sink named 'gone'") !=
          std::string::npos);
}

TEST_CASE("the worker thread delivers without being asked twice", "[delivery]") {
    Rig rig;
    rig.worker->start();
    rig.storage.add("s", "r1");
    rig.worker->wake();
    for (int i = 0; i < 100 && rig.storage.ackedCount() == 0; ++i)
        std::this_thread::sleep_for(10ms);
    rig.worker->flushAndStop(std::chrono::steady_clock::now() + 1s);
    CHECK(rig.storage.acked == std::vector<std::string>{"s/r1"});
}
