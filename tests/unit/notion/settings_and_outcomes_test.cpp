#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "notion_outcomes.hpp"
#include "notion_settings.hpp"
#include "notion_sink.hpp"
#include "retry_after.hpp"

using Catch::Matchers::Contains;
using fp::notion::ApiAnswer;
using fp::notion::readSettings;
using fp::sdk::DeliveryOutcome;

namespace {
// The options as the core hands them over: every declared option, defaults filled in.
fp::sdk::PluginOptions defaults() {
    fp::sdk::PluginOptions options;
    for (const auto& spec : fp::notion::notionOptions()) {
        if (!spec.defaultValue)
            continue;
        const std::string& d = *spec.defaultValue;
        switch (spec.type) {
            case fp::sdk::OptionType::string:
                options.set(spec.name, d.substr(1, d.size() - 2));
                break;
            case fp::sdk::OptionType::integer:
                options.set(spec.name, static_cast<std::int64_t>(std::stoll(d)));
                break;
            case fp::sdk::OptionType::number:
                options.set(spec.name, std::stod(d));
                break;
            case fp::sdk::OptionType::boolean:
                options.set(spec.name, d == "true");
                break;
        }
    }
    return options;
}

fp::notion::EnvLookup env(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

ApiAnswer answer(long status, std::string code = "", std::string retryAfter = "") {
    ApiAnswer a;
    a.http.status = status;
    a.code = std::move(code);
    if (!retryAfter.empty())
        a.http.headers["retry-after"] = retryAfter;
    return a;
}

ApiAnswer transport(fp::sinks::TransportError error) {
    ApiAnswer a;
    a.http.error = error;
    a.http.errorMessage = "test";
    return a;
}
}  // namespace

TEST_CASE("the generation follows the id that is set", "[notion][settings]") {
    auto options = defaults();
    options.set("databaseId", std::string("0123456789abcdef0123456789ABCDEF"));
    options.set("token", std::string("secret_a"));
    std::vector<std::string> problems;
    auto s = readSettings(options, env({}), problems);
    REQUIRE(problems.empty());
    CHECK(s.notionVersion == "2022-06-28");
    CHECK(s.collectionPath() == "/databases/0123456789abcdef0123456789ABCDEF");
    CHECK(s.parentKey() == "database_id");
    CHECK(s.baseUrl == "https://api.notion.com/v1");

    options = defaults();
    options.set("dataSourceId", std::string("01234567-89ab-cdef-0123-456789abcdef"));
    s = readSettings(
        options, env({{"NOTION_TOKEN", "secret_b"}, {"NOTION_BASE_URL", "http://127.0.0.1:9/v1/"}}),
        problems);
    REQUIRE(problems.empty());
    CHECK(s.token == "secret_b");
    CHECK(s.notionVersion == "2025-09-03");
    CHECK(s.collectionPath() == "/data_sources/01234567-89ab-cdef-0123-456789abcdef");
    CHECK(s.baseUrl == "http://127.0.0.1:9/v1");
}

TEST_CASE("settings problems are named, never the token", "[notion][settings]") {
    auto options = defaults();
    std::vector<std::string> problems;
    readSettings(options, env({}), problems);
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Contains("no Notion token"));
    CHECK_THAT(problems[1], Contains("set databaseId"));

    options.set("token", std::string("secret_zz"));
    options.set("databaseId", std::string("db/../x"));
    options.set("notionVersion", std::string("2025-09-03"));
    problems.clear();
    readSettings(options, env({}), problems);
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Contains("databaseId \"db/../x\" is not a Notion id"));
    CHECK_THAT(problems[1], Contains("set dataSourceId instead"));
    for (const auto& p : problems)
        CHECK(p.find("secret_zz") == std::string::npos);
}

TEST_CASE("ids must be Notion ids and the token one clean secret", "[notion][settings]") {
    const auto problemsWith = [](const std::string& key, const std::string& id,
                                 const std::string& token) {
        auto options = defaults();
        options.set(key, id);
        options.set("token", token);
        std::vector<std::string> problems;
        readSettings(options, env({}), problems);
        return problems;
    };
    CHECK(problemsWith("databaseId", "0123456789abcdef0123456789abcdef", "ntn_1").empty());
    CHECK(problemsWith("dataSourceId", "01234567-89ab-cdef-0123-456789abcdef", "ntn_1").empty());
    // A name, a URL, an id one digit short, dashes in the wrong places.
    for (const std::string id :
         {"Results", "https://www.notion.so/ws/0123456789abcdef0123456789abcdef",
          "0123456789abcdef0123456789abcde", "0123456789ab-cdef-0123-456789abcdef0"}) {
        auto problems = problemsWith("databaseId", id, "ntn_1");
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Contains("databaseId \"" + id + "\" is not a Notion id"));
    }
    for (const std::string token : {"Bearer ntn_1", "ntn_1 ", "ntn_\n1"}) {
        auto problems = problemsWith("databaseId", "0123456789abcdef0123456789abcdef", token);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Contains("Notion token"));
        CHECK(problems[0].find(token) == std::string::npos);
    }
    // The entry point the core calls: the same problems (no id here, whatever the environment).
    const auto checked = fp::notion::NotionSink::checkOptions(defaults());
    CHECK(std::any_of(checked.begin(), checked.end(),
                      [](const std::string& p) { return p.find("set databaseId") == 0; }));
}

TEST_CASE("Notion's answers map to the outcomes of NOTION.md", "[notion][outcomes]") {
    using fp::notion::classifyFailure;
    CHECK(classifyFailure(answer(400, "validation_error"), "x").outcome == DeliveryOutcome::failed);
    CHECK(classifyFailure(answer(401, "unauthorized"), "x").outcome == DeliveryOutcome::paused);
    CHECK(classifyFailure(answer(403, "restricted_resource"), "x").outcome ==
          DeliveryOutcome::paused);
    CHECK(classifyFailure(answer(404, "object_not_found"), "x").outcome == DeliveryOutcome::paused);
    CHECK(classifyFailure(answer(409, "conflict_error"), "x").outcome == DeliveryOutcome::retry);
    auto limited = classifyFailure(answer(429, "rate_limited", "3"), "x");
    CHECK(limited.outcome == DeliveryOutcome::retry);
    CHECK(limited.retryAfter.count() == 3000);
    CHECK(classifyFailure(answer(529, "service_overload", "1"), "x").retryAfter.count() == 1000);
    for (long status : {500L, 502L, 503L, 504L}) {
        CHECK(classifyFailure(answer(status), "x").outcome == DeliveryOutcome::retry);
        CHECK(fp::notion::outcomeUnknown(answer(status)));
    }
    using fp::sinks::TransportError;
    CHECK(classifyFailure(transport(TransportError::couldNotConnect), "x").outcome ==
          DeliveryOutcome::paused);
    CHECK_FALSE(fp::notion::outcomeUnknown(transport(TransportError::couldNotConnect)));
    CHECK(classifyFailure(transport(TransportError::timeout), "x").outcome ==
          DeliveryOutcome::retry);
    CHECK(fp::notion::outcomeUnknown(transport(TransportError::connectionLost)));
    CHECK_FALSE(fp::notion::outcomeUnknown(answer(400)));
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[notion][retry-after]") {
    const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
    using fp::sinks::parseRetryAfter;
    CHECK(parseRetryAfter("2", now)->count() == 2000);
    CHECK(parseRetryAfter(" 0.5 ", now)->count() == 500);
    CHECK(parseRetryAfter("999999", now, std::chrono::seconds(60))->count() == 60000);
    CHECK_FALSE(parseRetryAfter("", now));
    CHECK_FALSE(parseRetryAfter("-1", now));
    CHECK_FALSE(parseRetryAfter("soon", now));
    // 1800000000 is Fri, 15 Jan 2027 08:00:00 GMT.
    CHECK(parseRetryAfter("Fri, 15 Jan 2027 08:00:05 GMT", now)->count() == 5000);
}
