// The result log's lines: one JSON object each, the record embedded as it is, machine-readable
// in both log formats (in JSON format the members join the envelope), nothing beyond the record.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include "delivery/result_log.hpp"
#include "logging/log_setup.hpp"
#include "result_log_support.hpp"

using Catch::Matchers::Contains;
using fp::delivery::ResultLog;
using fp::testing::formatted;
using fp::testing::sampleRecord;

namespace {
Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

fp::sdk::OutboxRecord outboxRecord(const std::string& payload) {
    fp::sdk::OutboxRecord record;
    record.id = "notion/r_0a1b2c3d";
    record.sink = "notion";
    record.resultId = "r_0a1b2c3d";
    record.payload = payload;
    record.attempts = 2;
    record.lastError = "HTTP 503 service_unavailable";
    return record;
}
}  // namespace

TEST_CASE("a committed line holds the whole record, embedded as the rules rendered it",
          "[result-log]") {
    const std::string record = sampleRecord("r_0a1b2c3d");
    const std::string line =
        ResultLog::committedLine("team-a", "r_0a1b2c3d", record, {"notion", "results-file"});
    CHECK(line.rfind("{\"event\":\"result.committed\",", 0) == 0);
    CHECK(line.find('\n') == std::string::npos);
    CHECK_THAT(line, Contains(",\"record\":" + record + "}"));
    auto object = parse(line);
    CHECK(object->getValue<std::string>("resultId") == "r_0a1b2c3d");
    CHECK(object->getValue<std::string>("roomId") == "team-a");
    CHECK(object->getArray("sinks")->size() == 2);
    CHECK(object->getObject("record")->getObject("story")->getValue<std::string>("ref") == "FP-12");
    // Nothing but these members.
    CHECK(object->size() == 5);
}

TEST_CASE("an anonymous room's committed line names nobody", "[result-log]") {
    const std::string line =
        ResultLog::committedLine("team-a", "r_1", sampleRecord("r_1", true), {"notion"});
    CHECK(line.find("Aiko") == std::string::npos);
    CHECK(line.find("Ben") == std::string::npos);
    CHECK_THAT(line, Contains("{\"name\":null,\"card\":\"5\"}"));
}

TEST_CASE("state lines say what changed, with the record where the result may outlive its commit",
          "[result-log]") {
    const auto record = outboxRecord(sampleRecord("r_0a1b2c3d"));
    ResultLog::StateChange retrying;
    retrying.event = fp::delivery::result_event::retrying;
    retrying.attempts = 3;
    retrying.reason = "HTTP 429 rate_limited";
    retrying.nextAttemptAtMs = 1767348005000;
    auto object = parse(ResultLog::stateLine(record, retrying));
    CHECK(object->getValue<std::string>("event") == "result.retrying");
    CHECK(object->getValue<std::string>("roomId") == "team-a");
    CHECK(object->getValue<std::string>("sink") == "notion");
    CHECK(object->getValue<int>("attempts") == 3);
    CHECK(object->getValue<std::string>("reason") == "HTTP 429 rate_limited");
    CHECK(object->getValue<std::string>("nextAttemptAt") == "2026-01-02T10:00:05.000Z");
    CHECK_FALSE(object->getValue<bool>("sinkPaused"));
    CHECK_FALSE(object->has("record"));

    ResultLog::StateChange pending;
    pending.event = fp::delivery::result_event::pending;
    pending.attempts = 2;
    pending.reason = record.lastError;
    pending.withRecord = true;
    object = parse(ResultLog::stateLine(record, pending));
    CHECK(object->getValue<std::string>("lastError") == "HTTP 503 service_unavailable");
    CHECK(object->getObject("record")->getValue<std::string>("resultId") == "r_0a1b2c3d");
    CHECK_FALSE(object->has("nextAttemptAt"));

    // A payload that is not JSON (storage handed back something else) is left out, never
    // breaking the line.
    pending.withRecord = true;
    object = parse(ResultLog::stateLine(outboxRecord("not {json"), pending));
    CHECK_FALSE(object->has("record"));
    CHECK(object->getValue<std::string>("roomId").empty());
}

TEST_CASE(
    "in JSON format the members join the envelope, in text format the object follows "
    "the logger's name",
    "[result-log]") {
    const std::string message =
        ResultLog::committedLine("team-a", "r_1", sampleRecord("r_1"), {"notion"});
    const std::string json = formatted(message, "json");
    auto object = parse(json);
    CHECK(object->getValue<std::string>("level") == "info");
    CHECK(object->getValue<std::string>("logger") == "results");
    CHECK(object->getValue<std::string>("msg") == "result.committed");
    CHECK(object->getValue<std::string>("event") == "result.committed");
    CHECK(object->getObject("record")->getValue<std::string>("roomName") == "Team A");
    CHECK(json.rfind("{\"time\":\"", 0) == 0);

    const std::string text = formatted(message, "text");
    CHECK_THAT(text, Contains(" info  [results] " + message));
    // A message that is not an object starting with "event" is written as any other line.
    CHECK(parse(formatted("plain words", "json"))->getValue<std::string>("msg") == "plain words");
}

TEST_CASE("the results logger ignores log.level and goes to its own sink", "[result-log]") {
    fp::logging::configureLogging(fp::logging::LogFormat::text, "error");
    auto results = fp::logging::resultLogger();
    CHECK(results->name() == "results");
    CHECK(results->should_log(spdlog::level::info));
    CHECK_FALSE(fp::logging::coreLogger()->should_log(spdlog::level::warn));
    CHECK(results->sinks() != fp::logging::coreLogger()->sinks());
    fp::logging::configureLogging(fp::logging::LogFormat::text, "info");
}
