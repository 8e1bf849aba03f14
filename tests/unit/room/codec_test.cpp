#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

namespace {

// A room with a bit of everything.
Room richRoom() {
    RoomHarness h;
    const std::string aiko = h.join("Aiko \xF0\x9F\x98\x80");
    const std::string ben = h.join("Ben \\\"quoted\\\" \\\\ back");  // JSON-escaped
    const std::string cleo = h.join("Cleo", "observer");
    h.context.instanceId = "i2";
    h.ok(h.resume(aiko));
    h.context.instanceId = "i1";
    h.ok(h.send(aiko, "settings", R"({"deck":"modified","name":"Team \u00c5lpha"})"));
    h.ok(h.send(aiko, "queue.add",
                R"({"stories":[{"title":"Login","ref":"FP-1","url":"https://x.org/1"},)"
                R"({"title":"Signup"},{"title":"Billing"}]})"));
    h.vote(aiko, "\xC2\xBD");
    h.vote(ben, "1");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(aiko, "1");
    h.vote(ben, "2");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"1"})"));
    h.vote(aiko, "3");
    h.vote(ben, "?");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "reset"));
    h.vote(ben, "5");
    h.ok(h.send(aiko, "timer", R"({"seconds":45,"autoReveal":true})"));
    h.ok(h.internal("disconnect", ben));
    const std::string dan = h.join("Dan");
    h.ok(h.send(aiko, "kick", R"({"participantId":")" + dan + "\"}"));
    h.ok(h.send(aiko, "settings", R"({"anonymous":true,"hostOnly":true})"));
    (void)cleo;
    return h.room;
}

}  // namespace

TEST_CASE("the room document round-trips exactly", "[codec]") {
    const Room room = richRoom();
    const std::string encoded = encodeRoom(room);
    const Room decoded = decodeRoom(encoded);
    CHECK(decoded == room);
    CHECK(encodeRoom(decoded) == encoded);
    // It is really all there.
    CHECK(decoded.participants.size() == 3);
    CHECK(decoded.participants[0].connections.size() == 2);
    CHECK(decoded.participants[1].offlineSince);
    CHECK(decoded.history.size() == 1);
    CHECK(decoded.history[0].earlierRounds.size() == 1);
    CHECK(decoded.earlierRounds.size() == 1);
    CHECK(decoded.departed.size() == 1);
    CHECK(decoded.timer);
    CHECK(decoded.settings.anonymous);
    CHECK(decoded.name == "Team \xC3\x85lpha");
    CHECK(decoded.history[0].stats.average == 1.5);
    CHECK_THAT(encoded, Catch::Contains("resumeTokenHash"));
}

TEST_CASE("a new room and awkward numbers round-trip", "[codec]") {
    Room room = newRoom("r", 0);
    CHECK(decodeRoom(encodeRoom(room)) == room);
    room.version = 123456789012345ULL;
    room.createdAtMs = -5;
    HistoryEntry entry;
    entry.resultId = "r_1";
    entry.story.title = "T";
    entry.estimate = "3";
    entry.stats = computeStats({"1", "2", "2"}, room.deck);  // average 1.666...
    entry.stats.agreement = 2.0 / 3.0;
    room.history.mutate().push_back(entry);
    const Room decoded = decodeRoom(encodeRoom(room));
    CHECK(decoded == room);
    CHECK(decoded.history[0].stats.average == 5.0 / 3.0);
}

TEST_CASE("a bad document is refused with the place of the problem", "[codec]") {
    const std::string good = encodeRoom(richRoom());
    auto refuse = [](const std::string& text, const std::string& where) {
        try {
            decodeRoom(text);
            FAIL("decoded: " << text.substr(0, 80));
        } catch (const std::runtime_error& e) {
            CHECK_THAT(std::string(e.what()), Catch::Contains(where));
        }
    };
    refuse("", "room document");
    refuse("[1]", "not a JSON object");
    refuse("{\"schema\":2}", "schema");
    auto replace = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    refuse(replace("\"stage\":\"voting\"", "\"stage\":\"done\""), "stage");
    refuse(replace("\"role\":\"voter\"", "\"role\":7"), "participants[0].role");
    refuse(replace("\"round\":2", "\"round\":0"), "round");
    refuse(replace("\"facilitatorId\":\"p_1\"", "\"facilitatorId\":\"p_9\""), "facilitatorId");
    refuse(replace("\"connections\":{\"i1\":1,\"i2\":1}", "\"connections\":{\"i1\":0}"),
           "connections.i1");
}
