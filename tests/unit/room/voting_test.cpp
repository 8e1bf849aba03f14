#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::publicParticipant;
using fp::room::test::RoomHarness;

TEST_CASE("vote: voters and facilitator, stage voting, a card of the deck", "[vote]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo", "observer");
    h.vote(aiko, "5");
    h.vote(ben, "8");
    CHECK(h.participant(aiko).card == "5");
    h.vote(ben, "13");  // changes the vote
    CHECK(h.participant(ben).card == "13");
    auto same = h.send(ben, "vote", R"({"card":"13"})");
    CHECK(same.ok());
    CHECK_FALSE(same.changed);
    CHECK(h.send(cleo, "vote", R"({"card":"5"})").error == ErrorCode::forbidden);
    CHECK(h.send(ben, "vote", R"({"card":"7"})").error == ErrorCode::invalidCard);
    CHECK(h.send(ben, "vote", R"({"card":5})").error == ErrorCode::badMessage);
    CHECK(h.send(ben, "vote", R"({})").error == ErrorCode::badMessage);
    CHECK(h.send("p_nobody", "vote", R"({"card":"5"})").error == ErrorCode::notJoined);
    h.ok(h.send(aiko, "reveal"));
    CHECK(h.send(ben, "vote", R"({"card":"5"})").error == ErrorCode::wrongStage);
    CHECK(h.send(ben, "unvote").error == ErrorCode::wrongStage);
}

TEST_CASE("unvote withdraws the own vote", "[vote]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string cleo = h.join("Cleo", "observer");
    auto nothing = h.send(aiko, "unvote");
    CHECK(nothing.ok());
    CHECK_FALSE(nothing.changed);
    h.vote(aiko, "3");
    auto withdrawn = h.send(aiko, "unvote");
    CHECK(withdrawn.changed);
    CHECK_FALSE(h.participant(aiko).card);
    CHECK(h.send(cleo, "unvote").error == ErrorCode::forbidden);
}

TEST_CASE("before reveal no card of anyone is anywhere in the public state", "[vote][redaction]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "34");
    h.vote(ben, "55");
    auto parsed = h.state();
    for (const auto& id : {aiko, ben}) {
        auto p = publicParticipant(parsed, id);
        CHECK(p->isNull("card"));
        CHECK(p->getValue<bool>("voted"));
    }
    CHECK(parsed->isNull("result"));
    // Nothing but the deck mentions the cards: remove the deck and look again.
    parsed->remove("deck");
    const std::string withoutDeck = fp::room::test::text(parsed);
    CHECK_THAT(withoutDeck, !Catch::Contains("34"));
    CHECK_THAT(withoutDeck, !Catch::Contains("55"));
    // Each one sees its own card in welcome.you only.
    CHECK(fp::room::test::youOf(h.room, aiko)->getValue<std::string>("card") == "34");
    CHECK(fp::room::test::youOf(h.room, ben)->getValue<std::string>("card") == "55");
}

TEST_CASE("reveal shows the cards and the result", "[vote][reveal]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo", "observer");
    h.vote(aiko, "3");
    h.vote(ben, "5");
    h.ok(h.send(cleo, "reveal"));  // controllers: everyone while hostOnly is off
    CHECK(h.room.stage == Stage::revealed);
    auto state = h.state();
    CHECK(state->getValue<std::string>("stage") == "revealed");
    CHECK(publicParticipant(state, aiko)->getValue<std::string>("card") == "3");
    CHECK(publicParticipant(state, ben)->getValue<std::string>("card") == "5");
    CHECK(publicParticipant(state, cleo)->isNull("card"));
    auto result = state->getObject("result");
    REQUIRE(result);
    CHECK(result->getValue<double>("average") == 4.0);
    CHECK(result->getValue<int>("votes") == 2);
    CHECK(h.send(aiko, "reveal").error == ErrorCode::wrongStage);
}

TEST_CASE("reset keeps a revealed round in earlierRounds; during voting it adds nothing",
          "[vote][reset]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "3");
    h.vote(ben, "8");
    h.ok(h.send(ben, "reset"));  // during voting
    CHECK(h.room.round == 2);
    CHECK(h.room.earlierRounds.empty());
    CHECK_FALSE(h.participant(aiko).card);
    h.vote(aiko, "5");
    h.vote(ben, "8");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    CHECK(h.room.round == 3);
    CHECK(h.room.stage == Stage::voting);
    REQUIRE(h.room.earlierRounds.size() == 1);
    const RoundRecord& kept = h.room.earlierRounds[0];
    CHECK(kept.round == 2);
    REQUIRE(kept.votes.size() == 2);
    CHECK(kept.votes[0].name == "Aiko");
    CHECK(kept.votes[0].card == "5");
    CHECK(kept.stats.average == 6.5);
    auto rendered = h.state()->getArray("earlierRounds")->getObject(0);
    CHECK(rendered->getValue<int>("round") == 2);
    CHECK(rendered->getArray("votes")->getObject(1)->getValue<std::string>("name") == "Ben");
    CHECK(rendered->getObject("stats")->getValue<double>("median") == 6.5);
    CHECK(h.state()->isNull("result"));
}

TEST_CASE("autoReveal reveals once every online voter has voted", "[vote][autoReveal]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    const std::string cleo = h.join("Cleo", "observer");
    const std::string dan = h.join("Dan");
    h.ok(h.send(aiko, "settings", R"({"autoReveal":true})"));
    h.ok(h.internal("disconnect", dan));  // offline voters do not hold the room back
    h.vote(aiko, "3");
    auto last = h.send(ben, "vote", R"({"card":"5"})");
    REQUIRE(last.ok());
    REQUIRE(last.followUps == std::vector<CommandKind>{CommandKind::autoReveal});
    CHECK(last.room.stage == Stage::voting);  // the vote itself does not reveal
    CHECK(h.room.stage == Stage::revealed);   // the follow-up did (cause.by null)
    (void)cleo;
}

TEST_CASE("autoReveal needs the setting, stage voting and at least one vote", "[autoReveal]") {
    RoomHarness h;
    h.applyFollowUps = false;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "3");
    h.vote(ben, "3");
    auto off = h.internal("autoReveal");
    CHECK(off.ok());
    CHECK_FALSE(off.changed);
    h.ok(h.send(aiko, "settings", R"({"autoReveal":true})"));
    auto on = h.internal("autoReveal");
    CHECK(on.changed);
    CHECK(h.room.stage == Stage::revealed);
    CHECK_FALSE(h.internal("autoReveal").changed);  // already revealed
    h.ok(h.send(aiko, "reset"));
    CHECK_FALSE(h.internal("autoReveal").changed);  // nobody voted yet
    h.vote(aiko, "5");
    CHECK_FALSE(autoRevealDue(h.room));  // Ben is online and has not voted
    h.ok(h.send(ben, "role", R"({"role":"observer"})"));
    CHECK(autoRevealDue(h.room));
}

TEST_CASE("a client cannot send the server's own commands", "[vote]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    for (const char* type : {"sweep", "disconnect", "autoReveal"}) {
        CHECK(h.send(aiko, type).error == ErrorCode::unknownType);
    }
    CHECK(h.participant(aiko).online());
    auto ping = h.send(aiko, "ping");
    CHECK(ping.ok());
    CHECK_FALSE(ping.changed);
}

TEST_CASE("the rules never bump the version", "[vote]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.room.version = 41;
    auto outcome = applyCommand(
        h.room,
        [&] {
            Command c;
            c.kind = CommandKind::vote;
            c.message = fp::room::test::parse(R"({"type":"vote","card":"5"})");
            c.actorId = aiko;
            return c;
        }(),
        h.context);
    REQUIRE(outcome.changed);
    CHECK(outcome.room.version == 41);
    CHECK(fp::room::test::parse(publicStateJson(outcome.room))->getValue<int>("version") == 41);
}
