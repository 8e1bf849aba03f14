#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "notion_text.hpp"
#include "property_values.hpp"

using fp::notion::buildProperties;
using fp::notion::PropertyMapping;
using Poco::JSON::Object;

namespace {
const char* kRecord = R"({"resultId":"r_1c9e","roomId":"team-alpha","roomName":"Team Alpha",
  "story":{"title":"Login, page","ref":"FP-12","url":null},"estimate":"5",
  "votes":[{"name":"Aiko","card":"5"},{"name":"Ben","card":"8"},{"name":"Cy","card":"5"}],
  "stats":{"average":6,"median":5,"agreement":0.6667,"consensus":false,"votes":3},
  "rounds":2,"earlierRounds":[],"finalizedAt":"2026-11-28T09:00:00.000Z","participants":3})";

std::string json(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}
}  // namespace

TEST_CASE("a result becomes the default properties", "[notion][values]") {
    auto built = buildProperties(PropertyMapping::defaults(), kRecord);
    const auto& p = built.properties;
    CHECK(built.warnings.empty());
    CHECK(json(p->get("Name")) == R"({"title":[{"text":{"content":"Login, page"}}]})");
    CHECK(json(p->get("Estimate")) == R"({"select":{"name":"5"}})");
    CHECK(json(p->get("Result ID")) == R"({"rich_text":[{"text":{"content":"r_1c9e"}}]})");
    CHECK(json(p->get("Room")) == R"({"rich_text":[{"text":{"content":"team-alpha"}}]})");
    CHECK(json(p->get("Link")) == R"({"url":null})");  // null, never ""
    CHECK(json(p->get("Average")) == R"({"number":6})");
    CHECK(json(p->get("Consensus")) == R"({"checkbox":false})");
    CHECK(json(p->get("Votes")) == R"({"multi_select":[{"name":"5"},{"name":"8"}]})");
    CHECK(json(p->get("Finalized")) == R"({"date":{"start":"2026-11-28T09:00:00.000Z"}})");
    CHECK(json(p->get("Rounds")) == R"({"number":2})");
    // The whole record, so the room can be restored from Notion.
    auto stored = p->getObject("Result JSON")->getArray("rich_text");
    REQUIRE(stored->size() == 1);
    Poco::JSON::Parser parser;
    auto back =
        parser.parse(stored->getObject(0)->getObject("text")->getValue<std::string>("content"))
            .extract<Object::Ptr>();
    CHECK(back->getValue<std::string>("resultId") == "r_1c9e");
}

TEST_CASE("select names lose commas; text and numbers fit their types", "[notion][values]") {
    fp::sdk::PluginOptions options;
    options.set("titleProperty", std::string("Story:rich_text"));
    options.set("estimateProperty", std::string("Points:number"));
    options.set("votesProperty", std::string("Who:rich_text"));
    options.set("storyRefProperty", std::string("Ref:select"));
    std::vector<std::string> problems;
    auto mapping = PropertyMapping::fromOptions(options, problems);
    REQUIRE(problems.empty());
    std::string record = kRecord;
    record.replace(record.find("\"estimate\":\"5\""), 14, "\"estimate\":\"\xC2\xBD\"");
    auto p = buildProperties(mapping, record).properties;
    CHECK(json(p->get("Points")) == R"({"number":0.5})");
    CHECK(json(p->get("Who")) ==
          R"({"rich_text":[{"text":{"content":"Aiko: 5, Ben: 8, Cy: 5"}}]})");
    CHECK(fp::notion::selectName("1,5 days") == "1;5 days");
}

TEST_CASE("a long result JSON is split across rich-text items", "[notion][values]") {
    std::string record = kRecord;
    const std::string longTitle(1500, 'x');
    std::string votes = "[";
    for (int i = 0; i < 100; ++i)
        votes += std::string(i ? "," : "") + R"({"name":")" + std::string(60, 'n') +
                 std::to_string(i) + R"(","card":"5"})";
    votes += "]";
    record.replace(record.find("[{\"name\":\"Aiko\""),
                   record.find("],\n  \"stats\"") + 1 - record.find("[{\"name\":\"Aiko\""), votes);
    auto built = buildProperties(PropertyMapping::defaults(), record);
    auto items = built.properties->getObject("Result JSON")->getArray("rich_text");
    REQUIRE(items->size() >= 4);
    std::string joined;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto content = items->getObject(static_cast<unsigned>(i))
                                 ->getObject("text")
                                 ->getValue<std::string>("content");
        CHECK(fp::notion::utf16Length(content) <= 2000);
        joined += content;
    }
    CHECK(joined == record);
    CHECK(built.warnings.empty());
}

TEST_CASE("an unreadable result is refused with the reason", "[notion][values]") {
    CHECK_THROWS_WITH(buildProperties(PropertyMapping::defaults(), "not json"),
                      Catch::Matchers::Contains("not JSON"));
    CHECK_THROWS_WITH(buildProperties(PropertyMapping::defaults(), "{\"story\":{}}"),
                      Catch::Matchers::Contains("no resultId"));
}
