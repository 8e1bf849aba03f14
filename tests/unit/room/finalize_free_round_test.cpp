// finalize with `story`: a round estimated without a story is named and recorded in one step.
#include "room_test_support.hpp"

using fp::room::test::RoomHarness;
using namespace fp::room;

TEST_CASE("a round without a story is recorded under the story finalize brings", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "3");
    h.vote(ben, "8");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(aiko, "5");
    h.vote(ben, "5");
    h.ok(h.send(ben, "reveal"));

    // Without a title the refusal says what to send.
    const auto untitled = h.send(aiko, "finalize", R"({"estimate":"5"})");
    CHECK(untitled.error == ErrorCode::wrongStage);
    CHECK_THAT(untitled.errorMessage, Catch::Contains("give story"));
    // A bad story is refused before anything changes; the revealed round stays.
    CHECK(h.send(aiko, "finalize", R"({"estimate":"5","story":{"title":"  "}})").error ==
          ErrorCode::badMessage);
    CHECK(h.send(aiko, "finalize", R"({"estimate":"5","story":"Named"})").error ==
          ErrorCode::badMessage);
    CHECK(h.send(aiko, "finalize",
                 R"({"estimate":"5","story":{"title":"x","url":"ftp://example.com"}})")
              .error == ErrorCode::badMessage);
    REQUIRE(h.room.stage == Stage::revealed);

    h.ok(h.send(aiko, "queue.add", R"({"stories":[{"title":"Next one"}]})"));
    REQUIRE_FALSE(h.room.story);  // a vote is in: the queued story waits
    auto done = h.send(
        aiko, "finalize",
        R"({"estimate":"5","story":{"title":" Story 1 ","ref":"FP-7","url":"https://x.test/7"}})");
    REQUIRE(done.ok());
    REQUIRE(done.finalizedResultJson);
    CHECK_THAT(*done.finalizedResultJson, Catch::Contains(R"("title":"Story 1")"));
    REQUIRE(h.room.history.size() == 1);
    const HistoryEntry& entry = h.room.history[0];
    CHECK(entry.story.title == "Story 1");
    CHECK(entry.story.ref == std::optional<std::string>("FP-7"));
    CHECK(entry.story.url == std::optional<std::string>("https://x.test/7"));
    CHECK(entry.estimate == "5");
    CHECK(entry.rounds == 2);
    CHECK(entry.earlierRounds.size() == 1);
    CHECK(entry.votes.size() == 2);
    // The room moved on to the queued story, as after any finalize.
    REQUIRE(h.room.story);
    CHECK(h.room.story->title == "Next one");
    CHECK(h.room.stage == Stage::voting);
}

TEST_CASE("finalize refuses a story when the round already has one", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.send(aiko, "story", R"({"title":"Login"})"));
    h.vote(aiko, "5");
    h.ok(h.send(aiko, "reveal"));
    const auto refused = h.send(aiko, "finalize", R"({"estimate":"5","story":{"title":"Other"}})");
    CHECK(refused.error == ErrorCode::wrongStage);
    CHECK(h.room.history.empty());
    CHECK(h.room.stage == Stage::revealed);
    h.ok(h.send(aiko, "finalize", R"({"estimate":"5"})"));
    CHECK(h.room.history.items().at(0).story.title == "Login");
}

TEST_CASE("finalize with a story still needs a controller and a revealed round", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(ben, "3");
    const std::string named = R"({"estimate":"3","story":{"title":"Free"}})";
    CHECK(h.send(aiko, "finalize", named).error == ErrorCode::wrongStage);  // not revealed
    h.ok(h.send(aiko, "settings", R"({"hostOnly":true})"));
    h.ok(h.send(aiko, "reveal"));
    CHECK(h.send(ben, "finalize", named).error == ErrorCode::forbidden);
    h.ok(h.send(aiko, "finalize", named));
    CHECK(h.room.history.items().at(0).story.title == "Free");
}
