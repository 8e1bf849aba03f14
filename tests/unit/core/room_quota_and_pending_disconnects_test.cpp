// Rooms per instance (RoomQuota) and the disconnects kept while storage is down.
#include <catch2/catch.hpp>

#include "config/config_loader.hpp"
#include "service/pending_disconnects.hpp"
#include "service/room_quota.hpp"

using fp::service::PendingDisconnect;
using fp::service::PendingDisconnects;
using fp::service::RoomQuota;

TEST_CASE("room quota: a room counts while it has local connections", "[room-quota]") {
    RoomQuota quota(2);
    CHECK(quota.enter("a"));
    CHECK(quota.enter("b"));
    CHECK_FALSE(quota.enter("c"));  // a third room
    CHECK(quota.enter("a"));        // more connections in a served room are fine
    CHECK(quota.rooms() == 2);
    quota.leave("a");
    CHECK_FALSE(quota.enter("c"));  // "a" still has a connection
    quota.leave("a");
    CHECK(quota.rooms() == 1);
    CHECK(quota.enter("c"));
    quota.leave("never-entered");  // harmless
    CHECK(quota.rooms() == 2);
}

TEST_CASE("pending disconnects: kept in order, bounded", "[pending-disconnects]") {
    PendingDisconnects pending;
    CHECK(pending.add({"r1", "p1", 1}));
    CHECK(pending.add({"r1", "p2", 2}));
    CHECK(pending.size() == 2);
    auto all = pending.takeAll();
    REQUIRE(all.size() == 2);
    CHECK(all[0].participantId == "p1");
    CHECK(all[1].participantId == "p2");
    CHECK(pending.size() == 0);

    for (std::size_t i = 0; i < PendingDisconnects::kMaxPending; ++i)
        REQUIRE(pending.add({"r", "p" + std::to_string(i), 0}));
    CHECK_FALSE(pending.add({"r", "newest", 0}));
    all = pending.takeAll();
    CHECK(all.size() == PendingDisconnects::kMaxPending);
    CHECK(all.front().participantId == "p1");  // p0, the oldest, was dropped
    CHECK(all.back().participantId == "newest");
}

TEST_CASE("config: server.maxRoomsPerInstance, its default, range and environment name",
          "[room-quota]") {
    using fp::config::loadConfigText;
    auto defaults = loadConfigText("{}", "c.json", "/tmp", {});
    REQUIRE(defaults.problems.empty());
    CHECK(defaults.config.server.maxRoomsPerInstance == 10000);

    auto fromEnv = loadConfigText(R"({"server": {"maxRoomsPerInstance": 5}})", "c.json", "/tmp",
                                  {{"FP_SERVER_MAXROOMSPERINSTANCE", "3"}});
    REQUIRE(fromEnv.problems.empty());
    CHECK(fromEnv.config.server.maxRoomsPerInstance == 3);

    auto zero = loadConfigText(R"({"server": {"maxRoomsPerInstance": 0}})", "c.json", "/tmp", {});
    REQUIRE(zero.problems.size() == 1);
    CHECK(zero.problems[0].key == "server.maxRoomsPerInstance");
    CHECK(zero.problems[0].message.find("at least 1") != std::string::npos);
}
