#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "config/option_validation.hpp"

using fp::config::resolveOptions;
using fp::sdk::OptionSpec;
using fp::sdk::OptionType;

namespace {
Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<OptionSpec> specs() {
    OptionSpec url{"url", OptionType::string, "where", std::string("\"redis://localhost\""), {}, {},
                   false};
    OptionSpec timeout{
        "timeoutMs", OptionType::integer, "how long", std::string("500"), 1.0, 60000.0, false};
    OptionSpec rate{"rate", OptionType::number, "per second", std::string("3"), 0.1, {}, false};
    OptionSpec tls{"tls", OptionType::boolean, "use TLS", std::string("false"), {}, {}, false};
    OptionSpec token{"token", OptionType::string, "the API token", {}, {}, {}, true};
    OptionSpec required{"database", OptionType::string, "database id", {}, {}, {}, false};
    return {url, timeout, rate, tls, token, required};
}
}  // namespace

TEST_CASE("defaults fill what the file leaves out", "[options]") {
    fp::config::ConfigProblems problems;
    auto options = resolveOptions(specs(), parse(R"({"database": "db1"})"),
                                  {"f.json", "sinks.0.options"}, {}, problems);
    REQUIRE(problems.empty());
    CHECK(options.getString("url") == "redis://localhost");
    CHECK(options.getInt("timeoutMs") == 500);
    CHECK(options.getNumber("rate") == Approx(3.0));
    CHECK(options.getBool("tls") == false);
    CHECK_FALSE(options.has("token"));
}

TEST_CASE("types, ranges, required and unknown keys are reported", "[options]") {
    fp::config::ConfigProblems problems;
    resolveOptions(specs(), parse(R"({"timeoutMs": 0, "rate": "fast", "tls": 1, "colour": "red"})"),
                   {"f.json", "sinks.0.options"}, {}, problems);
    std::vector<std::string> keys;
    for (const auto& p : problems)
        keys.push_back(p.key);
    CHECK_THAT(keys,
               Catch::Matchers::UnorderedEquals(std::vector<std::string>{
                   "sinks.0.options.colour", "sinks.0.options.timeoutMs", "sinks.0.options.rate",
                   "sinks.0.options.tls", "sinks.0.options.database"}));
}

TEST_CASE("secrets come only from the environment, never from a file", "[options][secrets]") {
    fp::config::ConfigProblems problems;
    resolveOptions(specs(), parse(R"({"database": "d", "token": "secret_in_repo"})"),
                   {"f.json", "sinks.0.options"}, {}, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("FP_SINKS_0_OPTIONS_TOKEN") != std::string::npos);
    CHECK(problems[0].message.find("secret_in_repo") == std::string::npos);

    problems.clear();
    auto options =
        resolveOptions(specs(), parse(R"({"database": "d"})"), {"f.json", "sinks.0.options"},
                       {{"FP_SINKS_0_OPTIONS_TOKEN", "s3cr3t"}}, problems);
    REQUIRE(problems.empty());
    CHECK(options.getString("token") == "s3cr3t");
}

TEST_CASE("a secret can come from a file named by _FILE", "[options][secrets]") {
    const std::string path = "/tmp/fp-option-secret-test.txt";
    {
        std::ofstream out(path);
        out << "from-file\n";
    }
    fp::config::ConfigProblems problems;
    auto options =
        resolveOptions(specs(), parse(R"({"database": "d"})"), {"f.json", "sinks.0.options"},
                       {{"FP_SINKS_0_OPTIONS_TOKEN_FILE", path}}, problems);
    std::remove(path.c_str());
    REQUIRE(problems.empty());
    CHECK(options.getString("token") == "from-file");
}

TEST_CASE("environment overrides are parsed by the declared type", "[options]") {
    fp::config::ConfigProblems problems;
    auto options = resolveOptions(
        specs(), parse(R"({"database": "d", "timeoutMs": 100})"), {"f.json", "storage.options"},
        {{"FP_STORAGE_OPTIONS_TIMEOUTMS", "250"}, {"FP_STORAGE_OPTIONS_TLS", "true"}}, problems);
    REQUIRE(problems.empty());
    CHECK(options.getInt("timeoutMs") == 250);
    CHECK(options.getBool("tls"));
}
