#include <catch2/catch.hpp>

#include "key_layout.hpp"
#include "redis_settings.hpp"
#include "redis_url.hpp"
#include "storage_manifest.hpp"

using Catch::Matchers::Contains;
using fp::plugins::redis::parseRedisUrl;

TEST_CASE("redis urls give host, port, database and credentials", "[redis][url]") {
    auto plain = parseRedisUrl("redis://cache.internal");
    CHECK(plain.host == "cache.internal");
    CHECK(plain.port == 6379);
    CHECK(plain.db == 0);
    CHECK(plain.password.empty());

    auto full = parseRedisUrl("redis://:p%40ss%3Aword@10.0.0.5:6380/3");
    CHECK(full.host == "10.0.0.5");
    CHECK(full.port == 6380);
    CHECK(full.db == 3);
    CHECK(full.username.empty());
    CHECK(full.password == "p@ss:word");

    auto acl = parseRedisUrl("redis://poker:secret@[::1]:7000/");
    CHECK(acl.host == "::1");
    CHECK(acl.port == 7000);
    CHECK(acl.username == "poker");
    CHECK(acl.password == "secret");
    CHECK(acl.describe() == "[::1]:7000/0");
    CHECK_FALSE(acl.tls);

    auto tls = parseRedisUrl("rediss://default:k3y@contoso.redis.cache.windows.net:6380");
    CHECK(tls.tls);
    CHECK(tls.host == "contoso.redis.cache.windows.net");
    CHECK(tls.port == 6380);
    CHECK(tls.username == "default");
    CHECK(tls.password == "k3y");
    CHECK(parseRedisUrl("rediss://cache.internal").port == 6379);
}

TEST_CASE("a bad redis url is refused without repeating the password", "[redis][url]") {
    CHECK_THROWS_WITH(parseRedisUrl("http://host"), Contains("redis://"));
    CHECK_THROWS_WITH(parseRedisUrl("tls://host"), Contains("rediss://"));
    CHECK_THROWS_WITH(parseRedisUrl("rediss://:hunter2@host:0"), Contains("port"));
    CHECK_THROWS_WITH(parseRedisUrl("redis://:hunter2@host:99999"), Contains("port"));
    CHECK_THROWS_WITH(parseRedisUrl("redis://:hunter2@host/x"), Contains("database"));
    CHECK_THROWS_WITH(parseRedisUrl("redis://:hunter2@"), Contains("host"));
    CHECK_THROWS_WITH(parseRedisUrl("redis://host?ssl=true"), Contains("query"));
    CHECK_THROWS_WITH(parseRedisUrl("rediss://host?ssl_cert_reqs=none"), Contains("tls"));
    for (const char* url :
         {"redis://:hunter2@host:99999", "redis://:hunter2@host/x", "redis://:hunter2@",
          "redis://:hunter2@host:0", "rediss://u:hunter2@host:99999", "rediss://:hunter2@[::1"}) {
        try {
            parseRedisUrl(url);
            FAIL("accepted " << url);
        } catch (const std::invalid_argument& e) {
            CHECK_THAT(e.what(), !Contains("hunter2"));
        }
    }
    auto address = parseRedisUrl("redis://:hunter2@host:6379/1");
    CHECK_THAT(address.describe(), !Contains("hunter2"));
}

TEST_CASE("the password option wins over the url's", "[redis][url]") {
    fp::sdk::PluginOptions options;
    for (const auto& spec : fp::plugins::redis::storageRedisManifest().options) {
        if (spec.type == fp::sdk::OptionType::integer)
            options.set(spec.name, static_cast<std::int64_t>(std::stoll(*spec.defaultValue)));
        if (spec.name.rfind("tls", 0) == 0)
            options.set(spec.name, std::string());
    }
    options.set("url", std::string("redis://:from-url@host:6379/2"));
    options.set("keyPrefix", std::string("fp"));
    CHECK(fp::plugins::redis::settingsFromOptions(options).address.password == "from-url");
    options.set("password", std::string("from-env"));
    auto settings = fp::plugins::redis::settingsFromOptions(options);
    CHECK(settings.address.password == "from-env");
    CHECK(settings.address.db == 2);
    options.set("keyPrefix", std::string("bad{prefix}"));
    CHECK_THROWS_WITH(fp::plugins::redis::settingsFromOptions(options), Contains("keyPrefix"));
}

TEST_CASE("keys of one room share its hash tag and the channel maps back to the room",
          "[redis][keys]") {
    fp::plugins::redis::KeyLayout keys("fp");
    CHECK(keys.roomDocument("team-a") == "fp:{room:team-a}:doc");
    CHECK(keys.roomChannel("team-a") == "fp:{room:team-a}:state");
    CHECK(keys.roomOfChannel("fp:{room:team-a}:state") == std::optional<std::string>("team-a"));
    CHECK_FALSE(keys.roomOfChannel("other:{room:team-a}:state"));
    CHECK_FALSE(keys.roomOfChannel("fp:{room:team-a}:doc"));
    CHECK(keys.outboxDue("team-a") == "fp:{room:team-a}:outbox:due");
    CHECK(keys.outboxRecords("team-a") == "fp:{room:team-a}:outbox:rec");
    CHECK(keys.outboxRooms() == "fp:{outbox}:rooms");
    CHECK(keys.roomOfOutboxKey("fp:{room:team-a}:outbox:failed") ==
          std::optional<std::pair<std::string, std::string>>({"team-a", "failed"}));
    CHECK(keys.roomOfOutboxKey("fp:{room:a}:outbox:b}:outbox:due") ==
          std::optional<std::pair<std::string, std::string>>({"a}:outbox:b", "due"}));
    CHECK_FALSE(keys.roomOfOutboxKey("fp:{room:team-a}:doc"));
    CHECK_FALSE(keys.roomOfOutboxKey("fp:{room:team-a}:outbox:other"));
    CHECK_FALSE(keys.roomOfOutboxKey("fpx:{room:team-a}:outbox:due"));
    CHECK(keys.outboxScanPattern() == "fp:{room:*}:outbox:*");
    CHECK(fp::plugins::redis::KeyLayout("a*b").outboxScanPattern() == "a\\*b:{room:*}:outbox:*");
}

TEST_CASE("a bus message carries the version before the state text", "[redis][codec]") {
    const std::string state = "{\"type\":\"state\",\"text\":\"a\\nb\"}\n";
    const auto message = fp::plugins::redis::encodeBusMessage(42, state);
    CHECK(message.rfind("42\n", 0) == 0);
    std::uint64_t version = 0;
    std::string payload;
    REQUIRE(fp::plugins::redis::decodeBusMessage(message, version, payload));
    CHECK(version == 42);
    CHECK(payload == state);
    CHECK_FALSE(fp::plugins::redis::decodeBusMessage("{\"no\":\"version\"}", version, payload));
    CHECK_FALSE(fp::plugins::redis::decodeBusMessage("\nstate", version, payload));
    CHECK_FALSE(fp::plugins::redis::decodeBusMessage("4x2\nstate", version, payload));
}
