// An instance wrongly taken for dead (cut off from storage longer than instanceTtlSeconds
// while its connections stayed open) counts its live connections again on its next sweep.
#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::kT0;
using fp::room::test::RoomHarness;

TEST_CASE("sweep counts this instance's live connections again after a wrong drop",
          "[presence][sweep]") {
    RoomHarness h;  // instance i1
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.ok(h.resume(ben));  // a second tab: 2 connections on i1

    // Instance i2 lost sight of i1 and dropped its connections.
    h.context.instanceId = "i2";
    h.context.liveInstances = std::vector<std::string>{"i2"};
    h.context.nowMs = kT0 + 40000;
    REQUIRE(h.internal("sweep").changed);
    REQUIRE_FALSE(h.participant(aiko).online());
    REQUIRE_FALSE(h.participant(ben).online());

    // Back on i1, which still holds the sockets (one for Aiko, two for Ben).
    h.context.instanceId = "i1";
    h.context.liveInstances = std::vector<std::string>{"i1", "i2"};
    h.context.localConnections = std::map<std::string, int>{{aiko, 1}, {ben, 2}};
    h.context.nowMs = kT0 + 41000;
    REQUIRE(nextDueMs(h.room, h.context) == h.context.nowMs);
    auto repaired = h.internal("sweep");
    REQUIRE(repaired.changed);
    CHECK(h.participant(aiko).connections == std::map<std::string, int>{{"i1", 1}});
    CHECK(h.participant(ben).connections == std::map<std::string, int>{{"i1", 2}});
    CHECK_FALSE(h.participant(aiko).offlineSince);
    CHECK_FALSE(h.participant(ben).offlineSince);
    // Nothing more to do afterwards.
    CHECK_FALSE(h.internal("sweep").changed);
}

TEST_CASE("sweep never lowers counts or touches participants without local connections",
          "[presence][sweep]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.resume(aiko));  // 2 on i1, e.g. a join committed before its socket was listed
    const std::string ben = h.join("Ben");
    h.ok(h.internal("disconnect", ben));
    // A closing socket leaves the local list before its disconnect commits: 1 < 2 counted.
    h.context.localConnections = std::map<std::string, int>{{aiko, 1}, {"p_gone", 3}};
    CHECK_FALSE(nextDueMs(h.room, h.context) <= h.context.nowMs);
    CHECK_FALSE(h.internal("sweep").changed);
    CHECK(h.participant(aiko).connections == std::map<std::string, int>{{"i1", 2}});
    CHECK_FALSE(h.participant(ben).online());
}
