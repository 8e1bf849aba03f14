#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::publicParticipant;
using fp::room::test::RoomHarness;

TEST_CASE("handover makes another participant the facilitator", "[people]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    CHECK(h.send(ben, "handover", R"({"participantId":")" + ben + "\"}").error ==
          ErrorCode::forbidden);
    CHECK(h.send(aiko, "handover", R"({})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "handover", R"({"participantId":"p_x"})").error == ErrorCode::badMessage);
    auto self = h.send(aiko, "handover", R"({"participantId":")" + aiko + "\"}");
    CHECK(self.ok());
    CHECK_FALSE(self.changed);
    h.ok(h.send(aiko, "handover", R"({"participantId":")" + ben + "\"}"));
    CHECK(h.room.facilitatorId == ben);
    auto state = h.state();
    CHECK(publicParticipant(state, ben)->getValue<std::string>("role") == "facilitator");
    CHECK(publicParticipant(state, aiko)->getValue<std::string>("role") == "voter");
    CHECK(h.send(aiko, "settings", R"({"hostOnly":true})").error == ErrorCode::forbidden);
}

TEST_CASE("rename changes the own name", "[people]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.send(aiko, "rename", R"({"name":" Aiko T. "})"));
    CHECK(h.participant(aiko).name == "Aiko T.");
    CHECK(h.send(aiko, "rename", R"({"name":""})").error == ErrorCode::invalidName);
    CHECK(h.send(aiko, "rename", R"({"name":"x\u0007"})").error == ErrorCode::invalidName);
    CHECK(h.send(aiko, "rename", R"({})").error == ErrorCode::badMessage);
    CHECK(h.send("p_ghost", "rename", R"({"name":"G"})").error == ErrorCode::notJoined);
    CHECK_FALSE(h.send(aiko, "rename", R"({"name":"Aiko T."})").changed);
}

TEST_CASE("role: becoming observer withdraws the vote", "[people]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(ben, "5");
    h.ok(h.send(ben, "role", R"({"role":"observer"})"));
    CHECK(h.participant(ben).role == Role::observer);
    CHECK_FALSE(h.participant(ben).card);
    CHECK(publicParticipant(h.state(), ben)->getValue<bool>("voted") == false);
    CHECK(h.send(ben, "role", R"({"role":"facilitator"})").error == ErrorCode::badMessage);
    CHECK(h.send(ben, "role", R"({})").error == ErrorCode::badMessage);
    h.ok(h.send(ben, "role", R"({"role":"voter"})"));
    h.vote(ben, "8");
    // The facilitator may observe too: then it does not vote, and stays facilitator.
    h.ok(h.send(aiko, "role", R"({"role":"observer"})"));
    CHECK(h.send(aiko, "vote", R"({"card":"5"})").error == ErrorCode::forbidden);
    auto p = publicParticipant(h.state(), aiko);
    CHECK(p->getValue<std::string>("role") == "facilitator");
    CHECK(p->getValue<bool>("voter") == false);
    CHECK(fp::room::test::youOf(h.room, aiko)->getValue<bool>("voter") == false);
}

TEST_CASE("kick removes a participant for good", "[people]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(ben, "5");
    CHECK(h.send(ben, "kick", R"({"participantId":")" + aiko + "\"}").error ==
          ErrorCode::forbidden);
    CHECK(h.send(aiko, "kick", R"({"participantId":")" + aiko + "\"}").error ==
          ErrorCode::forbidden);
    CHECK(h.send(aiko, "kick", R"({"participantId":"p_x"})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "kick", R"({"participantId":5})").error == ErrorCode::badMessage);
    auto kicked = h.send(aiko, "kick", R"({"participantId":")" + ben + "\"}");
    REQUIRE(kicked.ok());
    CHECK(kicked.removedParticipantIds == std::vector<std::string>{ben});
    CHECK(findParticipant(h.room, ben) == nullptr);
    CHECK(isDeparted(h.room, ben));
    CHECK(h.send(ben, "vote", R"({"card":"5"})").error == ErrorCode::notJoined);
}

TEST_CASE("the longest-present online participant succeeds a facilitator who left for good",
          "[people][succession]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo", "observer");
    const std::string dan = h.join("Dan");
    h.ok(h.internal("disconnect", aiko));
    h.ok(h.internal("disconnect", ben));
    h.context.nowMs += 1000;
    h.ok(h.resume(ben));  // back online: still present since the start
    h.ok(h.internal("disconnect", ben));
    h.context.nowMs += h.context.graceMs - 1000;  // Aiko's grace is over, Ben's not yet
    auto swept = h.internal("sweep");
    REQUIRE(swept.changed);
    CHECK(swept.removedParticipantIds == std::vector<std::string>{aiko});
    CHECK(isDeparted(h.room, aiko));
    // Ben has been present longest but is offline: Cleo, online, takes over.
    CHECK(h.room.facilitatorId == cleo);
    h.ok(h.send(cleo, "handover", R"({"participantId":")" + ben + "\"}"));
    h.context.nowMs += 1000;
    h.ok(h.internal("sweep"));  // Ben's grace is over too
    CHECK(h.room.facilitatorId == cleo);
    (void)dan;
}

TEST_CASE("with nobody online the longest-present participant succeeds", "[succession]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo");
    h.ok(h.internal("disconnect", aiko));
    h.context.nowMs += 10;
    h.ok(h.internal("disconnect", cleo));
    h.ok(h.internal("disconnect", ben));
    h.context.nowMs += h.context.graceMs - 5;
    h.ok(h.internal("sweep"));
    CHECK(findParticipant(h.room, aiko) == nullptr);
    CHECK(h.room.facilitatorId == ben);
    h.context.nowMs += 10;
    h.ok(h.internal("sweep"));
    CHECK(h.room.participants.empty());
    CHECK(h.room.facilitatorId.empty());
    // Everyone left for good: the next one in is the facilitator.
    const std::string eve = h.join("Eve");
    CHECK(h.room.facilitatorId == eve);
}
