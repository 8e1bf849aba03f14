// The delivery worker writes every change of a result's delivery state to the result log, and
// at shutdown drains until its deadline, then logs what is left as pending and hands it back.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

#include "config/config_loader.hpp"
#include "delivery/outbox_worker.hpp"
#include "delivery/result_log.hpp"
#include "fakes.hpp"
#include "room/time_format.hpp"

using fp::sdk::DeliveryOutcome;
using fp::testing::OutboxOnlyStorage;
using fp::testing::ScriptedSink;
using namespace std::chrono_literals;

namespace {
struct LoggedRig {
    std::ostringstream lines;
    OutboxOnlyStorage storage;
    std::shared_ptr<ScriptedSink> sink = std::make_shared<ScriptedSink>();
    fp::metrics::MetricsRegistry metrics;
    fp::config::DeliverySettings settings = fp::config::defaultConfig().delivery;
    fp::delivery::ResultLog resultLog;
    std::unique_ptr<fp::delivery::OutboxWorker> worker;

    explicit LoggedRig(int maxAttempts = 5)
        : resultLog(std::make_shared<spdlog::logger>(
              "results", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines))) {
        settings.maxAttempts = maxAttempts;
        settings.requestsPerSecond = 1000;
        settings.initialBackoffMs = 40;
        settings.maxBackoffMs = 200;
        worker = std::make_unique<fp::delivery::OutboxWorker>(
            storage, settings, metrics, std::make_shared<spdlog::logger>("test"), "me", resultLog);
        worker->addSink("s", sink);
    }
    void runDue() {
        while (worker->deliverDueNow() > 0) {
        }
    }
    // The logged events, parsed (each line: the message alone, spdlog's default pattern off).
    std::vector<Poco::JSON::Object::Ptr> events() const {
        std::vector<Poco::JSON::Object::Ptr> out;
        std::istringstream in(lines.str());
        std::string line;
        while (std::getline(in, line)) {
            const auto brace = line.find('{');
            Poco::JSON::Parser parser;
            out.push_back(parser.parse(line.substr(brace)).extract<Poco::JSON::Object::Ptr>());
        }
        return out;
    }
    std::vector<std::string> eventNames() const {
        std::vector<std::string> names;
        for (const auto& e : events())
            names.push_back(e->getValue<std::string>("event") + " " +
                            e->getValue<std::string>("resultId"));
        return names;
    }
};

fp::sdk::DeliveryResult outcome(DeliveryOutcome o, std::chrono::milliseconds after = 0ms,
                                std::string reason = "because") {
    return {o, after, std::move(reason)};
}
}  // namespace

TEST_CASE("each outcome is one line of the result log", "[delivery][result-log]") {
    LoggedRig rig(2);
    rig.storage.add("s", "r1");
    rig.storage.add("s", "r2");
    rig.storage.add("s", "r3");
    rig.sink->script = {outcome(DeliveryOutcome::delivered),
                        outcome(DeliveryOutcome::failed, 0ms, "HTTP 400 validation_error"),
                        outcome(DeliveryOutcome::retry, 30ms, "HTTP 503 service_unavailable")};
    const auto before = fp::util::nowUnixMs();
    rig.runDue();
    auto events = rig.events();
    REQUIRE(rig.eventNames() == std::vector<std::string>{"result.delivered r1", "result.failed r2",
                                                         "result.retrying r3"});
    CHECK(events[0]->getValue<std::string>("sink") == "s");
    CHECK(events[0]->getValue<int>("attempts") == 1);
    CHECK(events[1]->getValue<std::string>("reason") == "HTTP 400 validation_error");
    CHECK(events[1]->getObject("record")->getValue<std::string>("resultId") == "r2");
    CHECK(events[2]->getValue<int>("attempts") == 1);
    CHECK(events[2]->getValue<std::string>("reason") == "HTTP 503 service_unavailable");
    CHECK_FALSE(events[2]->getValue<bool>("sinkPaused"));
    CHECK(events[2]->getValue<std::string>("nextAttemptAt") >=
          fp::room::formatIsoUtcMs(before + 30));

    // The second retry is the last of maxAttempts 2: given up, with the record.
    std::this_thread::sleep_for(60ms);
    rig.sink->script = {outcome(DeliveryOutcome::retry, 10ms, "HTTP 503 again")};
    rig.runDue();
    events = rig.events();
    REQUIRE(events.size() == 4);
    CHECK(events[3]->getValue<std::string>("event") == "result.gave_up");
    CHECK(events[3]->getValue<int>("attempts") == 2);
    CHECK(events[3]->getValue<std::string>("reason") == "HTTP 503 again");
    CHECK(events[3]->has("record"));
    CHECK(rig.storage.failed.count("s/r3") == 1);
}

TEST_CASE("a paused sink's probe is logged as retrying with sinkPaused, not the records waiting",
          "[delivery][result-log]") {
    LoggedRig rig;
    rig.storage.add("s", "r1");
    rig.storage.add("s", "r2");
    rig.sink->script = {outcome(DeliveryOutcome::paused, 5000ms, "Notion unreachable")};
    rig.runDue();
    auto events = rig.events();
    REQUIRE(events.size() == 1);
    CHECK(events[0]->getValue<std::string>("event") == "result.retrying");
    CHECK(events[0]->getValue<bool>("sinkPaused"));
    CHECK(events[0]->getValue<int>("attempts") == 0);  // a pause spends no attempt
}

TEST_CASE("flushAndStop waits for results coming due before its deadline", "[delivery][shutdown]") {
    LoggedRig rig;
    rig.storage.add("s", "r1");
    rig.sink->script = {outcome(DeliveryOutcome::retry, 150ms, "HTTP 429 rate_limited")};
    const auto start = std::chrono::steady_clock::now();
    rig.worker->flushAndStop(start + 3s);
    CHECK(rig.storage.acked == std::vector<std::string>{"s/r1"});
    CHECK(std::chrono::steady_clock::now() - start < 2s);  // not the whole timeout
    CHECK(rig.eventNames() ==
          std::vector<std::string>{"result.retrying r1", "result.delivered r1"});
}

TEST_CASE("what is left at the deadline is logged as pending and handed back",
          "[delivery][shutdown]") {
    LoggedRig rig;
    rig.storage.add("s", "r1");
    rig.storage.add("s", "r2");
    // r1 probes a sink that stays down longer than the shutdown may last; r2 waits behind it.
    rig.sink->script = {outcome(DeliveryOutcome::paused, 10000ms, "Notion unreachable")};
    rig.worker->flushAndStop(std::chrono::steady_clock::now() + 300ms);
    auto events = rig.events();
    REQUIRE(rig.eventNames() == std::vector<std::string>{"result.retrying r1", "result.pending r1",
                                                         "result.pending r2"});
    CHECK(events[1]->getValue<std::string>("lastError") == "Notion unreachable");
    CHECK(events[1]->getObject("record")->getValue<std::string>("resultId") == "r1");
    CHECK(events[2]->getValue<int>("attempts") == 0);
    // Still in the outbox, claimable by whoever comes next.
    REQUIRE(rig.storage.pending.size() == 2);
    for (const auto& [id, entry] : rig.storage.pending)
        CHECK_FALSE(entry.claimed);
}

TEST_CASE("results never claimed before the stop are pending too", "[delivery][shutdown]") {
    LoggedRig rig;
    rig.storage.add("s", "r1");
    rig.worker->flushAndStop(std::chrono::steady_clock::now());  // no time left at all
    CHECK(rig.eventNames() == std::vector<std::string>{"result.pending r1"});
    CHECK(rig.sink->calls.empty());
    CHECK_FALSE(rig.storage.pending.at("s/r1").claimed);
}

TEST_CASE("nothing is pending after a drain that delivered everything", "[delivery][shutdown]") {
    LoggedRig rig;
    rig.storage.add("s", "r1");
    rig.worker->flushAndStop(std::chrono::steady_clock::now() + 1s);
    CHECK(rig.eventNames() == std::vector<std::string>{"result.delivered r1"});
}
