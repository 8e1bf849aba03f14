#include <catch2/catch.hpp>

#include "config/config_loader.hpp"

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
