#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

namespace {
std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) {
        out += piece;
    }
    return out;
}

std::string storiesJson(int count, const std::string& prefix = "S") {
    std::string out = R"({"stories":[)";
    for (int i = 0; i < count; ++i) {
        out += (i ? "," : "") + std::string(R"({"title":")") + prefix + std::to_string(i) + "\"}";
    }
    return out + "]}";
}
}  // namespace

TEST_CASE("story sets the current story, clears votes, round 1", "[story]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.vote(aiko, "5");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(aiko, "8");
    h.ok(h.send(aiko, "story",
                R"({"title":" Login page ","ref":"FP-12","url":"https://example.com/FP-12"})"));
    REQUIRE(h.room.story);
    CHECK(h.room.story->title == "Login page");
    CHECK(h.room.story->ref == "FP-12");
    CHECK(h.room.story->url == "https://example.com/FP-12");
    CHECK(h.room.round == 1);
    CHECK(h.room.earlierRounds.empty());
    CHECK_FALSE(h.participant(aiko).card);
    CHECK(h.room.stage == Stage::voting);
    auto story = h.state()->getObject("story");
    CHECK(fp::room::test::text(story) ==
          R"({"title":"Login page","ref":"FP-12","url":"https://example.com/FP-12"})");
    h.ok(h.send(aiko, "story", R"({"title":"Signup","ref":null})"));
    CHECK(fp::room::test::text(h.state()->getObject("story")) ==
          R"({"title":"Signup","ref":null,"url":null})");
}

TEST_CASE("story checks title, ref and url", "[story]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    auto send = [&](const std::string& body) { return h.send(aiko, "story", body).error; };
    CHECK(send(R"({})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":""})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"  "})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":7})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":")" + repeat("\xC3\xA9", 256) + "\"}") == ErrorCode::none);
    CHECK(send(R"({"title":")" + repeat("\xC3\xA9", 257) + "\"}") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"T","ref":")" + repeat("r", 64) + "\"}") == ErrorCode::none);
    CHECK(send(R"({"title":"T","ref":")" + repeat("r", 65) + "\"}") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"T","ref":5})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"T","url":"ftp://x.org"})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"T","url":"https://x.org/)" + repeat("a", 512) + "\"}") ==
          ErrorCode::badMessage);
    CHECK(send(R"({"title":"T\u0000"})") == ErrorCode::badMessage);
    CHECK(send(R"({"title":"T","url":"http://x.org"})") == ErrorCode::none);
}

TEST_CASE("queue.add appends 1..100 stories, the queue holds at most 500", "[queue]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.send(aiko, "story", R"({"title":"Current"})"));
    CHECK(h.send(aiko, "queue.add", storiesJson(0)).error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.add", storiesJson(101)).error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.add", R"({"stories":"x"})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.add", R"({"stories":[{"title":"ok"},7]})").error ==
          ErrorCode::badMessage);
    auto badUrl = h.send(aiko, "queue.add",
                         R"({"stories":[{"title":"ok"},{"title":"x","url":"mailto:a@b"}]})");
    CHECK(badUrl.error == ErrorCode::badMessage);
    CHECK_THAT(badUrl.errorMessage, Catch::Contains("stories[1]"));
    CHECK(h.room.queue.empty());  // all or nothing
    for (int i = 0; i < 5; ++i) {
        h.ok(h.send(aiko, "queue.add", storiesJson(100, "B" + std::to_string(i) + "-")));
    }
    CHECK(h.room.queue.size() == 500);
    CHECK(h.room.queue[0].title == "B0-0");
    CHECK(h.room.queue[499].title == "B4-99");
    auto full = h.send(aiko, "queue.add", storiesJson(1));
    CHECK(full.error == ErrorCode::badMessage);
    CHECK_THAT(full.errorMessage, Catch::Contains("500"));
    CHECK(h.room.story->title == "Current");
}

TEST_CASE("queue.add with nothing being estimated makes the first story current", "[queue]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(
        h.send(aiko, "queue.add", R"({"stories":[{"title":"One","ref":"FP-1"},{"title":"Two"}]})"));
    REQUIRE(h.room.story);
    CHECK(h.room.story->title == "One");
    REQUIRE(h.room.queue.size() == 1);
    CHECK(h.room.queue[0].title == "Two");
    auto queue = h.state()->getArray("queue");
    CHECK(fp::room::test::text(queue->getObject(0)) == R"({"title":"Two","ref":null,"url":null})");
}

TEST_CASE("queue.remove removes one story by index", "[queue]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.send(aiko, "story", R"({"title":"Current"})"));
    h.ok(h.send(aiko, "queue.add", storiesJson(3)));
    CHECK(h.send(aiko, "queue.remove", R"({"index":3})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.remove", R"({"index":-1})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.remove", R"({"index":"1"})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.remove", R"({"index":1.5})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "queue.remove", R"({})").error == ErrorCode::badMessage);
    h.ok(h.send(aiko, "queue.remove", R"({"index":1})"));
    REQUIRE(h.room.queue.size() == 2);
    CHECK(h.room.queue[0].title == "S0");
    CHECK(h.room.queue[1].title == "S2");
}

TEST_CASE("finalize records the result and moves on to the next queued story", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.ok(h.send(aiko, "queue.add",
                R"({"stories":[{"title":"Login","ref":"FP-12"},{"title":"Signup"}]})"));
    h.vote(aiko, "3");
    h.vote(ben, "8");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(aiko, "5");
    h.vote(ben, "5");
    CHECK(h.send(aiko, "finalize", R"({"estimate":"5"})").error == ErrorCode::wrongStage);
    h.ok(h.send(ben, "reveal"));
    h.context.nowMs += 1234;
    auto done = h.send(aiko, "finalize", R"({"estimate":"5"})");
    REQUIRE(done.ok());
    REQUIRE(done.finalizedResultJson);
    REQUIRE(h.room.history.size() == 1);
    const HistoryEntry& entry = h.room.history[0];
    CHECK(entry.resultId == "r_" + std::to_string(h.resultCounter));
    CHECK(entry.story.title == "Login");
    CHECK(entry.estimate == "5");
    CHECK(entry.rounds == 2);
    REQUIRE(entry.earlierRounds.size() == 1);
    CHECK(entry.earlierRounds[0].stats.average == 5.5);
    CHECK(entry.stats.consensus);
    CHECK(entry.finalizedAtMs == fp::room::test::kT0 + 1234);
    // The room moved on.
    REQUIRE(h.room.story);
    CHECK(h.room.story->title == "Signup");
    CHECK(h.room.queue.empty());
    CHECK(h.room.round == 1);
    CHECK(h.room.earlierRounds.empty());
    CHECK(h.room.stage == Stage::voting);
    CHECK_FALSE(h.participant(aiko).card);
    // The public history entry.
    auto history = h.state()->getArray("history");
    REQUIRE(history->size() == 1);
    auto shown = history->getObject(0);
    CHECK(shown->getValue<std::string>("finalizedAt") == "2026-11-28T09:00:01.234Z");
    CHECK(shown->getValue<int>("rounds") == 2);
    CHECK(shown->getArray("votes")->getObject(0)->getValue<std::string>("name") == "Aiko");
    // The sink record has exactly the fields of PROTOCOL.md.
    auto record = fp::room::test::parse(*done.finalizedResultJson);
    std::vector<std::string> names;
    for (const auto& name : record->getNames()) {
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"earlierRounds", "estimate", "finalizedAt",
                                            "participants", "resultId", "roomId", "roomName",
                                            "rounds", "stats", "story", "votes"});
    CHECK(record->getValue<std::string>("roomId") == "team-alpha");
    CHECK(record->getValue<int>("participants") == 2);
    CHECK(record->getValue<std::string>("resultId") == entry.resultId);
    // The last story: afterwards nothing is current.
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"needs split"})"));
    CHECK_FALSE(h.room.story);
    CHECK(h.room.history.back().estimate == "needs split");
    CHECK(h.send(aiko, "reveal").ok());
    CHECK(h.send(aiko, "finalize", R"({"estimate":"5"})").error == ErrorCode::wrongStage);
}

TEST_CASE("a room's results are finalized at strictly increasing times", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    auto finalizeOne = [&](const std::string& title) {
        h.ok(h.send(aiko, "story", R"({"title":")" + title + R"("})"));
        h.ok(h.send(aiko, "reveal"));
        h.ok(h.send(aiko, "finalize", R"({"estimate":"?"})"));
        return h.room.history.back().finalizedAtMs;
    };
    const auto first = finalizeOne("one");
    CHECK(first == fp::room::test::kT0);
    // Two more in the same millisecond, then one from an instance whose clock is behind.
    CHECK(finalizeOne("two") == first + 1);
    CHECK(finalizeOne("three") == first + 2);
    h.context.nowMs -= 5000;
    CHECK(finalizeOne("four") == first + 3);
    // Time moving on is taken as it is.
    h.context.nowMs = first + 60000;
    CHECK(finalizeOne("five") == first + 60000);
}

TEST_CASE("finalize checks the estimate", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.ok(h.send(aiko, "story", R"({"title":"T"})"));
    h.ok(h.send(aiko, "reveal"));
    CHECK(h.send(aiko, "finalize", R"({})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "finalize", R"({"estimate":5})").error == ErrorCode::badMessage);
    CHECK(h.send(aiko, "finalize", R"({"estimate":"  "})").error == ErrorCode::invalidCard);
    CHECK(h.send(aiko, "finalize", R"({"estimate":")" + repeat("x", 17) + "\"}").error ==
          ErrorCode::invalidCard);
    CHECK(h.room.history.empty());
    h.ok(h.send(aiko, "finalize", R"({"estimate":")" + repeat("\xF0\x9F\x98\x80", 16) + "\"}"));
    CHECK(h.room.history.size() == 1);
}

TEST_CASE("history: the last 20 newest first in the state, up to 1000 stored", "[finalize]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    for (int i = 0; i < 25; ++i) {
        h.ok(h.send(aiko, "story", R"({"title":"Story )" + std::to_string(i) + "\"}"));
        h.ok(h.send(aiko, "reveal"));
        h.ok(h.send(aiko, "finalize", R"({"estimate":"1"})"));
    }
    CHECK(h.room.history.size() == 25);
    auto history = h.state()->getArray("history");
    REQUIRE(history->size() == 20);
    CHECK(history->getObject(0)->getObject("story")->getValue<std::string>("title") == "Story 24");
    CHECK(history->getObject(19)->getObject("story")->getValue<std::string>("title") == "Story 5");
    auto all = fp::room::test::parse(renderHistoryJson(h.room))->getArray("results");
    REQUIRE(all->size() == 25);
    CHECK(all->getObject(0)->getObject("story")->getValue<std::string>("title") == "Story 0");

    // The stored cap: fill the document directly, then one more finalize drops the oldest.
    HistoryEntry filler = h.room.history.back();
    while (h.room.history.size() < kMaxStoredHistory) {
        filler.resultId = "r_fill_" + std::to_string(h.room.history.size());
        h.room.history.mutate().push_back(filler);
    }
    const std::string oldest = h.room.history[0].resultId;
    const std::string second = h.room.history[1].resultId;
    h.ok(h.send(aiko, "story", R"({"title":"Last"})"));
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"1"})"));
    CHECK(h.room.history.size() == kMaxStoredHistory);
    CHECK(h.room.history[0].resultId == second);
    CHECK(h.room.history.back().story.title == "Last");
    CHECK(oldest != second);
}

TEST_CASE("controllers: everyone unless hostOnly", "[story][settings]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.ok(h.send(ben, "story", R"({"title":"By Ben"})"));
    h.ok(h.send(aiko, "settings", R"({"hostOnly":true})"));
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"reveal", "{}"},
             {"reset", "{}"},
             {"story", R"({"title":"x"})"},
             {"queue.add", R"({"stories":[{"title":"x"}]})"},
             {"queue.remove", R"({"index":0})"},
             {"finalize", R"({"estimate":"1"})"},
             {"timer", R"({"seconds":30})"}}) {
        INFO(type);
        CHECK(h.send(ben, type, body).error == ErrorCode::forbidden);
    }
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(ben, "3");  // voting is not a controller's matter
}

TEST_CASE("queue.add leaves an ad-hoc round with votes alone", "[queue]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    h.vote(aiko, "5");
    h.ok(h.send(aiko, "queue.add", R"({"stories":[{"title":"One"}]})"));
    CHECK_FALSE(h.room.story);
    CHECK(h.room.queue.size() == 1);
    CHECK(h.participant(aiko).card == "5");
}
