#include <catch2/catch.hpp>

#include <Poco/Dynamic/Var.h>

#include "config/config_loader.hpp"
#include "config/core_settings.hpp"
#include "config/environment.hpp"

using fp::config::ConfigProblems;
using fp::config::Environment;
using fp::config::loadConfigText;

namespace {
bool mentions(const ConfigProblems& problems, const std::string& key, const std::string& words) {
    for (const auto& p : problems) {
        if (p.key == key && p.message.find(words) != std::string::npos)
            return true;
    }
    return false;
}
}  // namespace

TEST_CASE("an empty config gives the embedded default", "[config]") {
    auto loaded = loadConfigText("{}", "c.json", "/etc/fp", {});
    REQUIRE(loaded.problems.empty());
    CHECK(loaded.config.server.listen == "127.0.0.1:8080");
    CHECK(loaded.config.server.graceSeconds == 600);
    CHECK(loaded.config.server.maxParticipantsPerRoom == 100);
    CHECK(loaded.config.transport.plugin == "transport-websocket");
    CHECK(loaded.config.storage.plugin == "storage-memory");
    CHECK(loaded.config.bus.plugin == "bus-local");
    CHECK(loaded.config.sinks.empty());
}

TEST_CASE("every problem is listed with file and key", "[config]") {
    auto loaded = loadConfigText(R"({
        "server": {"graceSeconds": "ten", "maxParticipantsPerRoom": 0, "colour": "red"},
        "log": {"level": "loud"},
        "extra": {},
        "storage": {"plugin": 5},
        "sinks": [{"plugin": "sink-jsonl", "name": "a"}, {"plugin": "sink-jsonl", "name": "a"}]
    })",
                                 "bad.json", "/tmp", {});
    const auto& p = loaded.problems;
    CHECK(mentions(p, "server.graceSeconds", "integer"));
    CHECK(mentions(p, "server.maxParticipantsPerRoom", "at least 1"));
    CHECK(mentions(p, "server.colour", "unknown option"));
    CHECK(mentions(p, "log.level", "trace, debug"));
    CHECK(mentions(p, "extra", "unknown section"));
    CHECK(mentions(p, "storage.plugin", "string"));
    CHECK(mentions(p, "sinks.1.name", "used by another sink"));
    for (const auto& problem : p)
        CHECK(problem.file == "bad.json");
    CHECK(p.size() == 7);
}

TEST_CASE("invalid JSON names the file and the reason", "[config]") {
    auto loaded = loadConfigText("{\"server\": ", "broken.json", "/tmp", {});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].file == "broken.json");
    CHECK(loaded.problems[0].message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("environment variables override the file by the FP_ naming rule", "[config]") {
    Environment env = {{"FP_SERVER_GRACESECONDS", "42"},
                       {"FP_SERVER_LISTEN", "0.0.0.0:9000"},
                       {"FP_STORAGE_PLUGIN", "storage-redis"}};
    auto loaded = loadConfigText(R"({"server": {"graceSeconds": 5}})", "c.json", "/tmp", env);
    REQUIRE(loaded.problems.empty());
    CHECK(loaded.config.server.graceSeconds == 42);
    CHECK(loaded.config.server.listen == "0.0.0.0:9000");
    CHECK(loaded.config.storage.plugin == "storage-redis");
}

TEST_CASE("a bad environment value is reported with its variable name", "[config]") {
    Environment env = {{"FP_SERVER_GRACESECONDS", "soon"}};
    auto loaded = loadConfigText("{}", "c.json", "/tmp", env);
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].file == "environment FP_SERVER_GRACESECONDS");
}

TEST_CASE("listen must be HOST:PORT", "[config]") {
    auto loaded = loadConfigText(R"({"server": {"listen": "localhost"}})", "c.json", "/tmp", {});
    CHECK(mentions(loaded.problems, "server.listen", "HOST:PORT"));
    loaded = loadConfigText(R"({"server": {"listen": "[::1]:8080"}})", "c.json", "/tmp", {});
    CHECK(loaded.problems.empty());
}

TEST_CASE("relative web roots resolve against the config file's folder", "[config]") {
    auto loaded =
        loadConfigText(R"({"server": {"webRoot": "../web"}})", "c.json", "/srv/fp/configs/", {});
    REQUIRE(loaded.problems.empty());
    CHECK(loaded.config.server.webRoot == "/srv/fp/web");
}

TEST_CASE("a missing config file is reported", "[config]") {
    auto loaded = fp::config::loadConfig("/nonexistent/fire-poker.json", {});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].file == "/nonexistent/fire-poker.json");
}

// The table of core settings drives defaults, validation and environment overrides: each row
// is checked here through the loader, so a setting cannot be declared and then not loaded.
TEST_CASE("every core setting: its default from the table, overridable from the environment",
          "[config][settings]") {
    const auto defaults = fp::config::defaultConfig();
    for (const auto& setting : fp::config::coreSettings()) {
        const std::string key = setting.section + "." + setting.spec.name;
        INFO(key);
        REQUIRE(setting.spec.defaultValue);
        // The default, as JSON text, is what the loaded config holds.
        const auto held = setting.read(defaults);
        std::string heldText;
        if (const auto* text = std::get_if<std::string>(&held)) {
            heldText = "\"" + *text + "\"";
        } else if (const auto* integer = std::get_if<std::int64_t>(&held)) {
            heldText = std::to_string(*integer);
        } else if (const auto* number = std::get_if<double>(&held)) {
            heldText = Poco::Dynamic::Var(*number).toString();
        }
        if (!setting.relativeToConfigFile)
            CHECK(heldText == *setting.spec.defaultValue);

        // Numbers: the top of their range, from the environment.
        if (setting.spec.type == fp::sdk::OptionType::integer ||
            setting.spec.type == fp::sdk::OptionType::number) {
            REQUIRE(setting.spec.maximum);
            const auto top = static_cast<std::int64_t>(*setting.spec.maximum);
            Environment env{{fp::config::environmentName(key), std::to_string(top)}};
            auto loaded = loadConfigText("{}", "c.json", "/etc/fp", env);
            REQUIRE(loaded.problems.empty());
            const auto value = setting.read(loaded.config);
            const double read = std::holds_alternative<std::int64_t>(value)
                                    ? static_cast<double>(std::get<std::int64_t>(value))
                                    : std::get<double>(value);
            CHECK(read == static_cast<double>(top));
            // One above the range is refused, naming the key.
            Environment over{{fp::config::environmentName(key), std::to_string(top + 1)}};
            auto refused = loadConfigText("{}", "c.json", "/etc/fp", over);
            CHECK(mentions(refused.problems, key, ""));
        }
    }
}

TEST_CASE("the log level takes warning as well as warn, as JSON log lines write it",
          "[config][settings]") {
    CHECK(loadConfigText(R"({"log":{"level":"warning"}})", "c.json", "/", {}).problems.empty());
    CHECK(loadConfigText(R"({"log":{"level":"warn"}})", "c.json", "/", {}).problems.empty());
    auto loud = loadConfigText(R"({"log":{"level":"loud"}})", "c.json", "/", {});
    CHECK(mentions(loud.problems, "log.level", "must be"));
}
