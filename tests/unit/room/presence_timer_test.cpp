#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::kT0;
using fp::room::test::publicParticipant;
using fp::room::test::RoomHarness;

TEST_CASE("presence is counted per instance", "[presence]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.context.instanceId = "i2";
    h.ok(h.resume(aiko));
    CHECK(h.participant(aiko).connections == std::map<std::string, int>{{"i1", 1}, {"i2", 1}});
    h.ok(h.internal("disconnect", aiko));  // on i2
    CHECK(h.participant(aiko).connections == std::map<std::string, int>{{"i1", 1}});
    auto again = h.internal("disconnect", aiko);  // i2 has none left: nothing to do
    CHECK(again.ok());
    CHECK_FALSE(again.changed);
    CHECK(h.participant(aiko).online());
    h.context.instanceId = "i1";
    h.ok(h.internal("disconnect", aiko));
    CHECK_FALSE(h.participant(aiko).online());
    CHECK(h.participant(aiko).offlineSince == kT0);
    CHECK(publicParticipant(h.state(), aiko)->getValue<bool>("online") == false);
    CHECK_FALSE(h.internal("disconnect", "p_unknown").changed);
}

TEST_CASE("sweep drops connections of instances that died", "[presence][sweep]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.context.instanceId = "i2";
    const std::string ben = h.join("Ben");
    h.context.instanceId = "i1";
    CHECK_FALSE(nextDueMs(h.room, h.context));
    h.context.liveInstances = std::vector<std::string>{"i1"};
    h.context.nowMs += 5000;
    REQUIRE(nextDueMs(h.room, h.context) == h.context.nowMs);
    auto swept = h.internal("sweep");
    REQUIRE(swept.changed);
    CHECK(h.participant(aiko).online());
    CHECK_FALSE(h.participant(ben).online());
    CHECK(h.participant(ben).offlineSince == kT0 + 5000);
    CHECK(nextDueMs(h.room, h.context) == kT0 + 5000 + h.context.graceMs);
    // This instance counts as live even when the list does not have it yet.
    h.context.liveInstances = std::vector<std::string>{};
    CHECK_FALSE(h.internal("sweep").changed);
    CHECK(h.participant(aiko).online());
}

TEST_CASE("sweep removes participants offline for the grace period", "[presence][sweep]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(ben, "5");
    h.ok(h.internal("disconnect", ben));
    const std::int64_t due = kT0 + h.context.graceMs;
    CHECK(nextDueMs(h.room, h.context) == due);
    h.context.nowMs = due - 1;
    auto early = h.internal("sweep");
    CHECK(early.ok());
    CHECK_FALSE(early.changed);
    h.context.nowMs = due;
    auto swept = h.internal("sweep");
    REQUIRE(swept.changed);
    CHECK(findParticipant(h.room, ben) == nullptr);
    CHECK(isDeparted(h.room, ben));
    CHECK(h.resume(ben).error == ErrorCode::badResume);
    CHECK_FALSE(nextDueMs(h.room, h.context));
    (void)aiko;
}

TEST_CASE("timer: 0 stops, 1..3600 starts, times in ISO-8601", "[timer]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    CHECK(h.send(aiko, "timer", R"({})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "timer", R"({"seconds":"60"})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "timer", R"({"seconds":3601})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "timer", R"({"seconds":-1})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "timer", R"({"seconds":60,"autoReveal":"yes"})").error ==
          ErrorCode::badMessage);
    auto noTimer = h.send(aiko, "timer", R"({"seconds":0})");
    CHECK(noTimer.ok());
    CHECK_FALSE(noTimer.changed);
    h.context.nowMs = kT0 + 123;
    h.ok(h.send(aiko, "timer", R"({"seconds":90})"));
    auto timer = h.state()->getObject("timer");
    REQUIRE(timer);
    CHECK(fp::room::test::text(timer) ==
          R"({"startedAt":"2026-11-28T09:00:00.123Z","endsAt":"2026-11-28T09:01:30.123Z",)"
          R"("seconds":90,"autoReveal":false,"expired":false})");
    h.ok(h.send(aiko, "timer", R"({"seconds":3600,"autoReveal":true})"));
    CHECK(h.room.timer->autoReveal);
    h.ok(h.send(aiko, "timer", R"({"seconds":0})"));
    CHECK(h.state()->isNull("timer"));
}

TEST_CASE("a timer without autoReveal runs out as a server change, without reveal", "[timer]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.vote(aiko, "3");
    h.ok(h.send(aiko, "timer", R"({"seconds":10})"));
    CHECK(nextDueMs(h.room, h.context) == kT0 + 10000);
    h.context.nowMs = kT0 + 9999;
    CHECK_FALSE(h.internal("sweep").changed);
    h.context.nowMs = kT0 + 10000;
    auto ranOut = h.internal("sweep");
    REQUIRE(ranOut.changed);
    CHECK(h.room.stage == Stage::voting);
    REQUIRE(h.room.timer);
    CHECK(h.room.timer->expired);
    CHECK(h.state()->getObject("timer")->getValue<bool>("expired"));
    CHECK_FALSE(nextDueMs(h.room, h.context));
    h.context.nowMs += 60000;
    CHECK_FALSE(h.internal("sweep").changed);
}

TEST_CASE("an autoReveal timer that runs out after a reveal reveals nothing", "[timer]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.vote(aiko, "3");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "timer", R"({"seconds":5,"autoReveal":true})"));  // a discussion timebox
    h.context.nowMs = kT0 + 5000;
    REQUIRE(h.internal("sweep").changed);
    CHECK(h.room.timer->expired);
    CHECK(h.room.stage == Stage::revealed);
    CHECK_FALSE(h.internal("sweep").changed);
}

TEST_CASE("a timer with autoReveal reveals exactly once when it runs out", "[timer][sweep]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "3");
    h.ok(h.send(aiko, "timer", R"({"seconds":30,"autoReveal":true})"));
    const std::int64_t endsAt = kT0 + 30000;
    CHECK(nextDueMs(h.room, h.context) == endsAt);
    h.context.nowMs = endsAt - 1;
    CHECK_FALSE(h.internal("sweep").changed);
    h.context.nowMs = endsAt;
    // Two instances notice at once: both start from the same version...
    const Room before = h.room;
    Command sweep;
    sweep.kind = CommandKind::sweep;
    Outcome first = applyCommand(before, sweep, h.context);
    REQUIRE(first.changed);
    CHECK(first.room.stage == Stage::revealed);
    CHECK_FALSE(first.room.timer);
    // ...the first commits; the other's compare-and-swap fails, it reloads and tries again.
    Outcome retry = applyCommand(first.room, sweep, h.context);
    CHECK_FALSE(retry.changed);
    // A reset later does not bring the timer back.
    Room after = first.room;
    h.room = after;
    h.ok(h.send(aiko, "reset"));
    h.context.nowMs += 60000;
    CHECK_FALSE(h.internal("sweep").changed);
    CHECK(h.room.stage == Stage::voting);
    (void)ben;
}

TEST_CASE("a manual reveal, reset or new story ends the timer", "[timer]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"reveal", "{}"}, {"reset", "{}"}, {"story", R"({"title":"S"})"}}) {
        INFO(type);
        h.ok(h.send(aiko, "reset"));
        h.ok(h.send(aiko, "timer", R"({"seconds":30,"autoReveal":true})"));
        h.ok(h.send(aiko, type, body));
        CHECK_FALSE(h.room.timer);
    }
}

TEST_CASE("sweep with nothing due changes nothing", "[sweep]") {
    RoomHarness h;
    h.join("Aiko");
    auto swept = h.internal("sweep");
    CHECK(swept.ok());
    CHECK_FALSE(swept.changed);
    CHECK_FALSE(nextDueMs(h.room, h.context));
}

TEST_CASE("a disconnect that leaves only voters who voted triggers autoReveal",
          "[presence][autoReveal]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.ok(h.send(aiko, "settings", R"({"autoReveal":true})"));
    h.vote(aiko, "3");
    auto gone = h.internal("disconnect", ben);
    CHECK(gone.followUps == std::vector<CommandKind>{CommandKind::autoReveal});
    CHECK(h.room.stage == Stage::revealed);
}
