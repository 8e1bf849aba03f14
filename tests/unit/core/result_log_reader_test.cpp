// Reading the result log back from every shape a log store gives it, and refusing, with file and
// line, what cannot be read: garbage is ignored, a result line cut short is reported.
#include <catch2/catch.hpp>

#include <sstream>

#include "delivery/result_log.hpp"
#include "delivery/result_log_reader.hpp"
#include "result_log_support.hpp"

using Catch::Matchers::Contains;
using fp::delivery::ResultLog;
using fp::delivery::ResultLogReader;
using fp::testing::formatted;
using fp::testing::jsonString;
using fp::testing::sampleRecord;

namespace {
std::string committed(const std::string& resultId = "r_0a1b2c3d") {
    return ResultLog::committedLine("team-a", resultId, sampleRecord(resultId),
                                    {"notion", "results-file"});
}

std::string state(const char* event, const std::string& reason = "", bool withRecord = false) {
    fp::sdk::OutboxRecord record;
    record.id = "notion/r_0a1b2c3d";
    record.sink = "notion";
    record.resultId = "r_0a1b2c3d";
    record.payload = sampleRecord("r_0a1b2c3d");
    ResultLog::StateChange change;
    change.event = event;
    change.attempts = 4;
    change.reason = reason;
    change.withRecord = withRecord;
    if (std::string(event) == fp::delivery::result_event::retrying)
        change.nextAttemptAtMs = 1767348005000;
    return ResultLog::stateLine(record, change);
}

ResultLogReader readOne(const std::string& line) {
    ResultLogReader reader;
    reader.readLine(line, "capture.log", 7);
    return reader;
}

// The one committed event `line` must give, whole.
void requireCommitted(const std::string& line) {
    INFO(line);
    auto reader = readOne(line);
    REQUIRE(reader.unreadable().empty());
    REQUIRE(reader.events().size() == 1);
    const auto& event = reader.events()[0];
    CHECK(event.event == "result.committed");
    CHECK(event.resultId == "r_0a1b2c3d");
    CHECK(event.roomId == "team-a");
    CHECK(event.sinks == std::vector<std::string>{"notion", "results-file"});
    CHECK(event.where == "capture.log:7");
    CHECK(event.record == sampleRecord("r_0a1b2c3d"));
    CHECK(reader.resultLines() == 1);
}
}  // namespace

TEST_CASE("the server's own lines: bare, JSON format and text format", "[result-log-reader]") {
    requireCommitted(committed());
    requireCommitted(formatted(committed(), "json"));
    requireCommitted(formatted(committed(), "text"));
    requireCommitted(formatted(committed(), "json") + "\r");  // CRLF capture
}

TEST_CASE("docker logs, Docker's json-file and CloudWatch shapes", "[result-log-reader]") {
    const std::string json = formatted(committed(), "json");
    const std::string text = formatted(committed(), "text");
    // Docker's json-file driver (/var/lib/docker/containers/*/*-json.log).
    requireCommitted("{\"log\":" + jsonString(json + "\n") +
                     ",\"stream\":\"stdout\",\"time\":\"2026-01-02T10:00:00.1234Z\"}");
    // A CloudWatch Logs export to S3, and `aws logs tail --format short`.
    requireCommitted("2026-01-02T10:00:00.123Z " + json);
    requireCommitted("2026-01-02T10:00:00 " + text);
    // `aws logs filter-log-events` as JSON: one event object a line, the whole answer on one
    // line, or pretty-printed (the "message" member alone on its line).
    requireCommitted(
        "{\"logStreamName\":\"server/server/abc\",\"timestamp\":1767348000123,"
        "\"message\":" +
        jsonString(json) + ",\"ingestionTime\":1767348000200,\"eventId\":\"1\"}");
    requireCommitted("{\"events\":[{\"timestamp\":1767348000123,\"message\":" + jsonString(json) +
                     "}],\"searchedLogStreams\":[]}");
    requireCommitted("            \"message\": " + jsonString(json) + ",");
    requireCommitted("            \"message\": " + jsonString(text));
    // ... and as text: tab-separated columns around the line.
    requireCommitted("EVENTS\t1\t1767348000200\tserver/server/abc\t" + json + "\t1767348000123");
    // A CloudWatch event holding a json-file line holding the server's line.
    requireCommitted("{\"message\":" +
                     jsonString("{\"log\":" + jsonString(json + "\n") + ",\"stream\":\"stdout\"}") +
                     "}");
}

TEST_CASE("every delivery state is read with its fields", "[result-log-reader]") {
    ResultLogReader reader;
    std::istringstream in(
        committed() + "\n" +
        formatted(state("result.retrying", "HTTP 503 service_unavailable"), "json") + "\n" +
        state("result.failed", "HTTP 400 validation_error", true) + "\n" +
        state("result.gave_up", "HTTP 503", true) + "\n" +
        formatted(state("result.pending", "HTTP 503", true), "text") + "\n" +
        state("result.delivered") + "\n");
    reader.readStream(in, "server.log");
    REQUIRE(reader.unreadable().empty());
    REQUIRE(reader.events().size() == 6);
    const auto& e = reader.events();
    CHECK(e[1].event == "result.retrying");
    CHECK(e[1].sink == "notion");
    CHECK(e[1].reason == "HTTP 503 service_unavailable");
    CHECK(e[1].nextAttemptAt == "2026-01-02T10:00:05.000Z");
    CHECK(e[1].attempts == 4);
    CHECK(e[1].record.empty());
    CHECK(e[1].where == "server.log:2");
    CHECK(e[2].event == "result.failed");
    CHECK(e[2].reason == "HTTP 400 validation_error");
    CHECK(e[2].record == sampleRecord("r_0a1b2c3d"));
    CHECK(e[3].event == "result.gave_up");
    CHECK(e[4].event == "result.pending");
    CHECK(e[4].reason == "HTTP 503");  // lastError
    CHECK(e[4].record == sampleRecord("r_0a1b2c3d"));
    CHECK(e[5].event == "result.delivered");
    CHECK(e[5].where == "server.log:6");
    CHECK(reader.linesRead() == 6);
}

TEST_CASE("several events on one line", "[result-log-reader]") {
    auto reader = readOne("[" + committed("r_1") + "," + committed("r_2") + "]");
    REQUIRE(reader.events().size() == 2);
    CHECK(reader.events()[0].resultId == "r_1");
    CHECK(reader.events()[1].resultId == "r_2");
    CHECK(reader.resultLines() == 1);
}

TEST_CASE("garbage and other log lines are ignored without a complaint", "[result-log-reader]") {
    ResultLogReader reader;
    const std::vector<std::string> lines = {
        "",
        "   ",
        "{",
        "}}}{{{",
        "{\"unclosed\": \"string}",
        std::string("\0\x01\xff\xfe binary \x80", 10),
        "2026-01-02 10:00:00.001 info  [core] fire-poker 0.1.0 listening on http://0.0.0.0:8080",
        "{\"time\":\"2026-01-02T10:00:00.001Z\",\"level\":\"warn\",\"logger\":\"notion\","
        "\"msg\":\"result r_1 to notion: will retry in 800 ms\"}",
        "{\"event\":\"room.opened\",\"roomId\":\"x\"}",
        "{\"event\":\"result.something_later\",\"resultId\":\"r_1\"}",  // a later version's event
        "a result.committed mentioned in prose",
        std::string(100000, '{'),
        "[1,2,3] {\"a\":[{\"b\":{}}]}",
    };
    std::size_t number = 0;
    for (const auto& line : lines)
        reader.readLine(line, "mixed.log", ++number);
    CHECK(reader.events().empty());
    CHECK(reader.unreadable().empty());
    CHECK(reader.linesRead() == lines.size());
}

TEST_CASE("a result line cut short is reported with its file and line, never half-read",
          "[result-log-reader]") {
    for (const std::string& full : {committed(), formatted(committed(), "json"),
                                    formatted(committed(), "text"), state("result.delivered")}) {
        for (std::size_t cut = 1; cut + 1 < full.size(); cut += 3) {
            const std::string part = full.substr(0, cut);
            INFO(part);
            ResultLogReader reader;
            reader.readLine(part, "cut.log", 42);
            CHECK(reader.events().empty());
            if (fp::delivery::mentionsResultEvent(part)) {
                REQUIRE(reader.unreadable().size() == 1);
                CHECK(reader.unreadable()[0].where == "cut.log:42");
            } else {
                CHECK(reader.unreadable().empty());
            }
        }
    }
    // A CloudWatch event whose message was cut (an over-long event split by a log driver).
    const std::string json = formatted(committed(), "json");
    auto reader = readOne("{\"message\":" + jsonString(json.substr(0, json.size() / 2)) + "}");
    CHECK(reader.events().empty());
    REQUIRE(reader.unreadable().size() == 1);
    CHECK_THAT(reader.unreadable()[0].why, Contains("cut short"));
}

TEST_CASE("lines that name a result event but are not one are reported with the reason",
          "[result-log-reader]") {
    auto noRecord = readOne("{\"event\":\"result.committed\",\"resultId\":\"r_1\",\"sinks\":[]}");
    REQUIRE(noRecord.unreadable().size() == 1);
    CHECK_THAT(noRecord.unreadable()[0].why, Contains("without its record"));

    auto notARecord = readOne(
        "{\"event\":\"result.committed\",\"resultId\":\"r_1\",\"record\":{\"resultId\":\"r_1\"}}");
    REQUIRE(notARecord.unreadable().size() == 1);
    CHECK_THAT(notARecord.unreadable()[0].why, Contains("the record is not a result"));
    CHECK(notARecord.events().empty());

    const std::string otherRecord = sampleRecord("r_other");
    auto mismatch = readOne(
        "{\"event\":\"result.committed\",\"resultId\":\"r_1\",\"record\":" + otherRecord + "}");
    REQUIRE(mismatch.unreadable().size() == 1);
    CHECK_THAT(mismatch.unreadable()[0].why, Contains("holds the record of r_other"));

    auto noSink = readOne("{\"event\":\"result.delivered\",\"resultId\":\"r_1\"}");
    REQUIRE(noSink.unreadable().size() == 1);
    CHECK_THAT(noSink.unreadable()[0].why, Contains("without a sink"));

    auto noId = readOne("{\"event\":\"result.delivered\",\"sink\":\"notion\"}");
    REQUIRE(noId.unreadable().size() == 1);

    auto broken = readOne("{\"event\":\"result.delivered\",\"resultId\":\"r_1\",,}");
    REQUIRE(broken.unreadable().size() == 1);
    CHECK_THAT(broken.unreadable()[0].why, Contains("not valid JSON"));
}

TEST_CASE("a result event is recognised by its name, quotes escaped or not",
          "[result-log-reader]") {
    using fp::delivery::mentionsResultEvent;
    CHECK(mentionsResultEvent("{\"event\":\"result.committed\""));
    CHECK(mentionsResultEvent("{\"event\": \"result.pending\""));
    CHECK(mentionsResultEvent("\"message\":\"{\\\"event\\\":\\\"result.delivered\\\""));
    CHECK_FALSE(mentionsResultEvent("result.committed"));
    CHECK_FALSE(mentionsResultEvent("{\"kind\":\"result.committed\"}"));
    CHECK_FALSE(mentionsResultEvent("\"result.committed\""));
}
