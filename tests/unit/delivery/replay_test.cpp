// A replay of the result log: what it plans from the lines found, and how it delivers one result
// (the server's attempts, backoff and Retry-After; a sink that stays paused is not tried again).
#include <catch2/catch.hpp>

#include "config/config_loader.hpp"
#include "delivery/replay_delivery.hpp"
#include "delivery/replay_plan.hpp"
#include "fakes.hpp"

using fp::delivery::ReplayDeliverer;
using fp::delivery::ReplayItem;
using fp::delivery::ResultLogEvent;
using fp::sdk::DeliveryOutcome;
using namespace std::chrono_literals;

namespace {
const std::string kRecord = "{\"resultId\":\"r_1\",\"story\":{\"title\":\"Login\"}}";

ResultLogEvent event(const std::string& name, const std::string& resultId,
                     const std::string& sink = "", const std::string& record = "") {
    ResultLogEvent e;
    e.event = name;
    e.resultId = resultId;
    e.roomId = "team-a";
    e.sink = sink;
    e.record = record;
    e.where = "server.log:" + std::to_string(resultId.size() + sink.size());
    return e;
}

ResultLogEvent committed(const std::string& resultId, std::vector<std::string> sinks) {
    auto e = event("result.committed", resultId, "", kRecord);
    e.sinks = std::move(sinks);
    return e;
}
}  // namespace

TEST_CASE("a replay delivers what the log does not show delivered, to sinks configured now",
          "[replay]") {
    auto retrying = event("result.retrying", "r_1", "notion");
    retrying.reason = "HTTP 503 service_unavailable";
    const std::vector<ResultLogEvent> events = {
        committed("r_1", {"notion", "file", "webhook"}),
        event("result.delivered", "r_1", "file"),
        retrying,
        committed("r_2", {"notion"}),
        event("result.delivered", "r_2", "notion"),
        event("result.pending", "r_3", "notion", kRecord),  // its commit is not in the files
        event("result.retrying", "r_4", "notion"),          // no line holds its record
        committed("r_2", {"notion"}),                       // the same line read twice
    };
    const auto plan = fp::delivery::planReplay(events, {"notion", "file", "spare"});
    CHECK(plan.results == 4);
    CHECK(plan.committed == 2);
    REQUIRE(plan.items.size() == 6);
    using A = ReplayItem::Action;
    const auto& i = plan.items;
    CHECK((i[0].resultId == "r_1" && i[0].sink == "notion" && i[0].action == A::deliver));
    CHECK(i[0].why == "retrying: HTTP 503 service_unavailable (server.log:9)");
    CHECK(i[0].record == kRecord);
    CHECK((i[1].sink == "file" && i[1].action == A::skipDelivered));
    CHECK(i[1].why == "already delivered per the log (server.log:7)");
    CHECK((i[2].sink == "webhook" && i[2].action == A::skipNoSink));
    CHECK((i[3].resultId == "r_2" && i[3].action == A::skipDelivered));
    CHECK((i[4].resultId == "r_3" && i[4].action == A::deliver && i[4].record == kRecord));
    CHECK((i[5].resultId == "r_4" && i[5].action == A::missingRecord));
    CHECK(plan.count(A::deliver) == 2);
}

TEST_CASE("a replay delivery retries as the server does and honours Retry-After", "[replay]") {
    fp::config::DeliverySettings settings = fp::config::defaultConfig().delivery;
    settings.maxAttempts = 4;
    settings.initialBackoffMs = 100;
    settings.maxBackoffMs = 1000;
    settings.requestsPerSecond = 1000;
    std::vector<std::chrono::milliseconds> waits;
    std::vector<std::string> notes;
    ReplayDeliverer deliverer(
        settings, [&](const std::string& note) { notes.push_back(note); },
        [&](std::chrono::milliseconds d) { waits.push_back(d); });
    fp::testing::ScriptedSink sink;
    deliverer.addSink("notion", sink);

    sink.script = {{DeliveryOutcome::retry, 3000ms, "HTTP 429 rate_limited"},
                   {DeliveryOutcome::retry, 0ms, "HTTP 503"},
                   {DeliveryOutcome::delivered, 0ms, "updated the existing row"}};
    auto outcome = deliverer.deliver("notion", "r_1", kRecord);
    CHECK(outcome.delivered);
    CHECK(outcome.attempts == 3);
    CHECK(outcome.detail == "updated the existing row");
    REQUIRE(waits.size() == 2);
    CHECK(waits[0] == 3000ms);                        // Retry-After
    CHECK((waits[1] >= 100ms && waits[1] <= 300ms));  // backoff of attempt 2 with jitter
    CHECK(notes[0] == "attempt 2 of r_1 to notion in 3.0 s: HTTP 429 rate_limited");

    sink.script = {{DeliveryOutcome::failed, 0ms, "HTTP 400 validation_error"}};
    outcome = deliverer.deliver("notion", "r_2", kRecord);
    CHECK_FALSE(outcome.delivered);
    CHECK(outcome.attempts == 1);
    CHECK(outcome.detail == "HTTP 400 validation_error");

    for (int n = 0; n < 4; ++n)
        sink.script.push_back({DeliveryOutcome::retry, 0ms, "HTTP 502"});
    outcome = deliverer.deliver("notion", "r_3", kRecord);
    CHECK_FALSE(outcome.delivered);
    CHECK(outcome.attempts == 4);
    CHECK(outcome.detail == "gave up after 4 attempts: HTTP 502");
}

TEST_CASE("a sink that stays paused is not tried for the next results", "[replay]") {
    fp::config::DeliverySettings settings = fp::config::defaultConfig().delivery;
    settings.maxAttempts = 2;
    settings.requestsPerSecond = 1000;
    ReplayDeliverer deliverer(settings, {}, [](std::chrono::milliseconds) {});
    fp::testing::ScriptedSink sink;
    deliverer.addSink("notion", sink);
    sink.script = {{DeliveryOutcome::paused, 0ms, "HTTP 401 unauthorized"},
                   {DeliveryOutcome::paused, 0ms, "HTTP 401 unauthorized"}};
    CHECK_FALSE(deliverer.deliver("notion", "r_1", kRecord).delivered);
    auto next = deliverer.deliver("notion", "r_2", kRecord);
    CHECK_FALSE(next.delivered);
    CHECK(next.attempts == 0);
    CHECK(next.detail == "not tried: sink notion stayed paused: HTTP 401 unauthorized");
    CHECK(sink.calls.size() == 2);

    deliverer.disableSink("file", "sink file failed to start: cannot open /x");
    CHECK(deliverer.deliver("file", "r_1", kRecord).detail ==
          "not tried: sink file failed to start: cannot open /x");
}
