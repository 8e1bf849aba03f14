#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "property_mapping.hpp"

using Catch::Matchers::Contains;
using fp::notion::Field;
using fp::notion::PropertyMapping;

namespace {
Poco::JSON::Object::Ptr schema(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

const char* kDefaultSchema = R"({
  "Name": {"id": "title", "type": "title", "title": {}},
  "Estimate": {"id": "a", "type": "select", "select": {}},
  "Result ID": {"id": "b", "type": "rich_text", "rich_text": {}},
  "Room": {"id": "c", "type": "rich_text", "rich_text": {}},
  "Ref": {"id": "d", "type": "rich_text", "rich_text": {}},
  "Link": {"id": "e", "type": "url", "url": {}},
  "Average": {"id": "f", "type": "number", "number": {}},
  "Median": {"id": "g", "type": "number", "number": {}},
  "Agreement": {"id": "h", "type": "number", "number": {}},
  "Consensus": {"id": "i", "type": "checkbox", "checkbox": {}},
  "Votes": {"id": "j", "type": "multi_select", "multi_select": {}},
  "Rounds": {"id": "k", "type": "number", "number": {}},
  "Finalized": {"id": "l", "type": "date", "date": {}},
  "Result JSON": {"id": "m", "type": "rich_text", "rich_text": {}}
})";
}  // namespace

TEST_CASE("the default mapping matches the documented database", "[notion][mapping]") {
    auto mapping = PropertyMapping::defaults();
    CHECK(mapping.properties().size() == 14);
    REQUIRE(mapping.find(Field::resultId) != nullptr);
    CHECK(mapping.find(Field::resultId)->property == "Result ID");
    CHECK(mapping.find(Field::title)->type == "title");
    CHECK(mapping.find(Field::roomName) == nullptr);  // off by default
    CHECK(mapping.checkSchema(schema(kDefaultSchema)).empty());
}

TEST_CASE("a mapping naming a missing property or a wrong type is refused", "[notion][mapping]") {
    fp::sdk::PluginOptions options;
    options.set("estimateProperty", std::string("Points:number"));
    options.set("averageProperty", std::string("Result ID:number"));
    std::vector<std::string> problems;
    auto mapping = PropertyMapping::fromOptions(options, problems);
    // "Result ID" is named twice: once for the result id, once for the average.
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Contains("both name the property \"Result ID\""));

    options.set("averageProperty", std::string("Average:number"));
    problems.clear();
    mapping = PropertyMapping::fromOptions(options, problems);
    REQUIRE(problems.empty());
    auto mismatches = mapping.checkSchema(schema(kDefaultSchema));
    REQUIRE(mismatches.size() == 1);
    CHECK_THAT(mismatches[0], Contains("\"Points\" (estimateProperty) is not in the database"));

    options.set("estimateProperty", std::string("Estimate:rich_text"));
    problems.clear();
    mapping = PropertyMapping::fromOptions(options, problems);
    mismatches = mapping.checkSchema(schema(kDefaultSchema));
    REQUIRE(mismatches.size() == 1);
    CHECK_THAT(mismatches[0], Contains("is a select in the database, the mapping says rich_text"));
}

TEST_CASE("mapping options are checked before Notion is asked", "[notion][mapping]") {
    std::vector<std::string> problems;
    fp::sdk::PluginOptions options;
    options.set("consensusProperty", std::string("Consensus:number"));
    options.set("medianProperty", std::string("no type here"));
    options.set("resultIdProperty", std::string(""));
    options.set("roomNameProperty", std::string("Room name:rich_text"));
    auto mapping = PropertyMapping::fromOptions(options, problems);
    REQUIRE(problems.size() == 3);
    CHECK_THAT(problems[0], Contains("resultIdProperty must name a property"));
    CHECK_THAT(problems[1], Contains("medianProperty is \"no type here\""));
    CHECK_THAT(problems[2], Contains("a number property cannot hold"));
    CHECK(mapping.find(Field::roomName) != nullptr);
}

TEST_CASE("property names may contain colons; the type follows the last one", "[notion][mapping]") {
    std::string property;
    std::string type;
    REQUIRE(fp::notion::parseMapping("Time: finalized:date", property, type));
    CHECK(property == "Time: finalized");
    CHECK(type == "date");
    CHECK_FALSE(fp::notion::parseMapping(":date", property, type));
    CHECK_FALSE(fp::notion::parseMapping("Name:", property, type));
}
