#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::publicParticipant;
using fp::room::test::RoomHarness;

TEST_CASE("a new room has the defaults", "[join]") {
    const Room room = newRoom("team-alpha", fp::room::test::kT0);
    CHECK(room.id == "team-alpha");
    CHECK(room.name == "team-alpha");
    CHECK(room.version == 0);
    CHECK(room.stage == Stage::voting);
    CHECK(room.round == 1);
    CHECK(room.settings.deckName == "fibonacci");
    CHECK(room.deck.size() == 13);
    CHECK_FALSE(room.story);
    CHECK(room.participants.empty());
    CHECK(room.createdAtMs == fp::room::test::kT0);
}

TEST_CASE("the first participant is the facilitator, the next ones voters", "[join]") {
    RoomHarness h;
    auto first = h.joinWith(R"({"room":"team-alpha","name":"  Aiko "})");
    REQUIRE(first.ok());
    CHECK(first.changed);
    CHECK(first.participantId == "p_1");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo", "observer");
    CHECK(h.room.facilitatorId == "p_1");
    auto state = h.state();
    CHECK(publicParticipant(state, "p_1")->getValue<std::string>("role") == "facilitator");
    CHECK(publicParticipant(state, "p_1")->getValue<std::string>("name") == "Aiko");
    CHECK(publicParticipant(state, ben)->getValue<std::string>("role") == "voter");
    CHECK(publicParticipant(state, cleo)->getValue<std::string>("role") == "observer");
    CHECK(publicParticipant(state, cleo)->getValue<bool>("voter") == false);
    CHECK(publicParticipant(state, ben)->getValue<bool>("online"));
    CHECK(h.participant(ben).resumeTokenHash == "hash-p_2");
    CHECK(h.participant(ben).connections.at("i1") == 1);
    CHECK(h.room.version == 3);
    auto you = fp::room::test::youOf(h.room, "p_1");
    CHECK(you->getValue<std::string>("role") == "facilitator");
    CHECK(you->isNull("card"));
}

TEST_CASE("join checks its fields", "[join]") {
    RoomHarness h;
    CHECK(h.joinWith(R"({"name":"A"})").error == ErrorCode::badMessage);
    CHECK(h.joinWith(R"({"room":"team-alpha"})").error == ErrorCode::badMessage);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":5})").error == ErrorCode::badMessage);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"A","role":"boss"})").error ==
          ErrorCode::badMessage);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"A","role":true})").error ==
          ErrorCode::badMessage);
    CHECK(h.joinWith(R"({"room":"team alpha","name":"A"})").error == ErrorCode::invalidRoom);
    CHECK(h.joinWith(R"({"room":"other","name":"A"})").error == ErrorCode::invalidRoom);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"   "})").error == ErrorCode::invalidName);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"bell\u0007"})").error ==
          ErrorCode::invalidName);
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"A","participantId":"p_9"})").error ==
          ErrorCode::badMessage);
    // A token the service did not verify is never taken as a new join.
    CHECK(h.joinWith(R"({"room":"team-alpha","name":"A","participantId":"p_9",)"
                     R"("resumeToken":"xxxxxxxxxxxxxxxxxxxx"})")
              .error == ErrorCode::badResume);
    CHECK(h.room.participants.empty());
    CHECK(h.room.version == 0);
    auto failed = h.joinWith(R"({"room":"team-alpha","name":"bell\u0007"})");
    CHECK_FALSE(failed.changed);
    CHECK_THAT(failed.errorMessage, Catch::Contains("control"));
}

TEST_CASE("a full room answers room_full", "[join]") {
    RoomHarness h;
    h.context.maxParticipants = 3;
    h.join("A");
    h.join("B");
    const std::string c = h.join("C");
    auto full = h.joinWith(R"({"room":"team-alpha","name":"D"})");
    CHECK(full.error == ErrorCode::roomFull);
    CHECK(h.room.participants.size() == 3);
    // A seat that is still there can always be resumed.
    CHECK(h.resume(c).ok());
}

TEST_CASE("resume takes the seat back with role, vote and facilitator rights", "[join][resume]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko", "observer");
    const std::string ben = h.join("Ben");
    h.vote(ben, "8");
    h.ok(h.internal("disconnect", aiko));
    h.ok(h.internal("disconnect", ben));
    CHECK_FALSE(h.participant(ben).online());
    auto back = h.resume(ben, "Someone else");
    REQUIRE(back.ok());
    CHECK(back.changed);
    CHECK(back.participantId == ben);
    CHECK(h.participant(ben).online());
    CHECK(h.participant(ben).card == "8");
    CHECK(h.participant(ben).name == "Ben");
    CHECK_FALSE(h.participant(ben).offlineSince);
    CHECK(fp::room::test::youOf(h.room, ben)->getValue<std::string>("card") == "8");
    auto aikoBack = h.resume(aiko);
    REQUIRE(aikoBack.ok());
    CHECK(h.room.facilitatorId == aiko);
    CHECK(h.participant(aiko).role == Role::observer);
    CHECK(h.room.participants.size() == 2);
}

TEST_CASE("a participant may hold several connections", "[join][resume]") {
    RoomHarness h;
    const std::string a = h.join("A");
    h.ok(h.resume(a));  // second tab
    CHECK(h.participant(a).connections.at("i1") == 2);
    h.ok(h.internal("disconnect", a));
    CHECK(h.participant(a).online());
    h.ok(h.internal("disconnect", a));
    CHECK_FALSE(h.participant(a).online());
    CHECK(h.participant(a).offlineSince == h.context.nowMs);
}

TEST_CASE("a wrong token hash or a departed id gets bad_resume", "[join][resume]") {
    RoomHarness h;
    const std::string a = h.join("A");
    const std::string b = h.join("B");
    auto wrong = h.joinWith(R"({"room":"team-alpha","name":"B","participantId":")" + b +
                                R"(","resumeToken":"0123456789abcdef0"})",
                            b, "hash-of-another-token");
    CHECK(wrong.error == ErrorCode::badResume);
    auto mismatch = h.joinWith(R"({"room":"team-alpha","name":"B","participantId":"p_77",)"
                               R"("resumeToken":"0123456789abcdef0"})",
                               b, "hash-" + b);
    CHECK(mismatch.error == ErrorCode::badResume);
    h.ok(h.send(a, "kick", R"({"participantId":")" + b + R"("})"));
    auto kicked = h.resume(b);
    CHECK(kicked.error == ErrorCode::badResume);
    CHECK(findParticipant(h.room, b) == nullptr);
    // Kick is not a ban: a new join works, with a new id.
    auto fresh = h.joinWith(R"({"room":"team-alpha","name":"B"})");
    REQUIRE(fresh.ok());
    CHECK(fresh.participantId != b);
}

TEST_CASE("a seat the room lost is re-created with the same id; first one back facilitates",
          "[join][resume]") {
    RoomHarness h;  // the room was lost: it is new, and the tokens are from before
    auto ben = h.resume("p_old_ben", "Ben");
    REQUIRE(ben.ok());
    CHECK(ben.participantId == "p_old_ben");
    CHECK(h.room.facilitatorId == "p_old_ben");
    CHECK(h.participant("p_old_ben").name == "Ben");
    CHECK(h.participant("p_old_ben").resumeTokenHash == "hash-p_old_ben");
    CHECK_FALSE(h.participant("p_old_ben").card);
    auto aiko = h.resume("p_old_aiko", "Aiko");
    REQUIRE(aiko.ok());
    CHECK(h.room.facilitatorId == "p_old_ben");
    CHECK(h.state()->getArray("participants")->size() == 2);
    // The re-created seat is resumable like any other.
    h.ok(h.internal("disconnect", "p_old_aiko"));
    CHECK(h.resume("p_old_aiko").ok());
}

TEST_CASE("join names count code points: 64 emoji are fine, 65 are not", "[join][text]") {
    RoomHarness h;
    std::string emoji64;
    for (int i = 0; i < 64; ++i) {
        emoji64 += "\xF0\x9F\x98\x80";
    }
    auto ok = h.joinWith(R"({"room":"team-alpha","name":")" + emoji64 + "\"}");
    REQUIRE(ok.ok());
    CHECK(h.participant(ok.participantId).name == emoji64);
    auto tooLong = h.joinWith(R"({"room":"team-alpha","name":")" + emoji64 + "\\ud83d\\ude00\"}");
    CHECK(tooLong.error == ErrorCode::invalidName);
    auto escaped = h.joinWith(R"({"room":"team-alpha","name":"\u00e9\u0301"})");
    CHECK(escaped.ok());
}
