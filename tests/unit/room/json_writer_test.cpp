// The server writes JSON without Poco::JSON trees (room/json_writer, the public state, the
// room document). These tests hold its bytes to what Poco gives for the same content, and its
// output to valid UTF-8 whatever bytes go in.
#include <Poco/JSON/Array.h>

#include "room/json_writer.hpp"
#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room/text_validation.hpp"
#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

namespace {

std::string written(const Room& room) {
    std::string out;
    json::Writer writer(out);
    writePublicState(writer, room);
    return out;
}

// Rooms in the shapes a state can take: fresh, voting, revealed with statistics (doubles),
// anonymous, with history, queue, timer and earlier rounds, names needing escapes.
std::vector<Room> sampleRooms() {
    std::vector<Room> rooms;
    rooms.push_back(newRoom("fresh", fp::room::test::kT0));

    RoomHarness h;
    const std::string aiko = h.join("Aiko \xF0\x9F\x98\x80");
    const std::string ben = h.join("Ben \\\"quoted\\\" \\\\ back / slash");
    h.join("Cleo", "observer");
    h.ok(h.send(
        aiko, "story",
        R"({"title":"Quote \"q\" back \\\\ slash /","ref":"FP-1","url":"https://x.org/a?b=c&d=/e"})"));
    h.vote(aiko, "3");
    rooms.push_back(h.room);  // voting, one vote hidden
    h.vote(ben, "8");
    h.ok(h.send(aiko, "reveal"));
    rooms.push_back(h.room);  // revealed: average 5.5, agreement 0.5
    h.ok(h.send(aiko, "reset"));
    h.vote(aiko, "1");
    h.vote(ben, "2");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"2"})"));
    h.ok(h.send(aiko, "queue.add",
                R"({"stories":[{"title":"Signup"},{"title":"Billing","ref":"B"}]})"));
    h.ok(h.send(aiko, "timer", R"({"seconds":45,"autoReveal":true})"));
    h.vote(ben, "?");
    rooms.push_back(h.room);  // history, queue, timer
    h.ok(h.send(aiko, "settings", R"({"anonymous":true,"deck":"modified"})"));
    h.vote(aiko, "\xC2\xBD");
    h.vote(ben, "1");
    h.ok(h.send(aiko, "reveal"));
    rooms.push_back(h.room);  // anonymous, revealed, ½ = 0.5
    h.ok(h.internal("disconnect", ben));
    rooms.push_back(h.room);  // someone offline
    return rooms;
}

}  // namespace

TEST_CASE("the JSON writer writes what Poco::JSON writes", "[json_writer]") {
    const std::string tricky =
        std::string("q\" b\\ s/ \b\f\n\r\t \x01\x1f\x7f \xC3\xA9 \xE6\x97\xA5 ") +
        "\xF0\x9F\x98\x80 <>&'";
    auto object = json::object();
    object->set("s", tricky);
    object->set(tricky, 1);
    object->set("half", 0.5);
    object->set("whole", 4.0);
    object->set("third", 1.0 / 3);
    object->set("tiny", 1e-7);
    object->set("big", std::uint64_t{18446744073709551615ULL});
    object->set("negative", std::int64_t{-5});
    object->set("yes", true);
    object->set("none", Poco::Dynamic::Var());
    auto array = json::array();
    array->add(1);
    array->add("x");
    array->add(json::object());
    object->set("array", array);
    object->set("emptyArray", json::array());

    std::string out;
    json::Writer writer(out);
    writer.beginObject();
    writer.key("s").string(tricky);
    writer.key(tricky).integer(1);
    writer.key("half").number(0.5);
    writer.key("whole").number(4.0);
    writer.key("third").number(1.0 / 3);
    writer.key("tiny").number(1e-7);
    writer.key("big").unsignedInteger(18446744073709551615ULL);
    writer.key("negative").integer(-5);
    writer.key("yes").boolean(true);
    writer.key("none").null();
    writer.key("array").beginArray().integer(1).string("x").beginObject().endObject().endArray();
    writer.key("emptyArray").beginArray().endArray();
    writer.endObject();
    CHECK(out == json::stringify(object));
}

TEST_CASE("the written RoomState is JSON that Poco re-writes byte for byte", "[json_writer]") {
    for (const Room& room : sampleRooms()) {
        INFO("room stage " << toString(room.stage) << ", anonymous " << room.settings.anonymous);
        const std::string text = written(room);
        CHECK(json::stringify(json::parseObject(text, "test")) == text);
        CHECK(isValidUtf8(text));
    }
}

TEST_CASE("bytes that are not UTF-8 are written as the text \\xNN, whole code points kept",
          "[json_writer][utf8]") {
    std::string out;
    json::Writer writer(out);
    // A lone lead byte, a cut 4-byte sequence, a surrogate, an overlong '/', then valid é and 😀.
    writer.string(
        std::string("a\xC3 b\xF0\x9F\x98 c\xED\xA0\x80 d\xC0\xAF \xC3\xA9\xF0\x9F\x98\x80"));
    CHECK(out ==
          "\"a\\\\xC3 b\\\\xF0\\\\x9F\\\\x98 c\\\\xED\\\\xA0\\\\x80 d\\\\xC0\\\\xAF "
          "\xC3\xA9\xF0\x9F\x98\x80\"");
    CHECK(isValidUtf8(out));
    CHECK(json::parseObject("{\"v\":" + out + "}", "test")->getValue<std::string>("v") ==
          "a\\xC3 b\\xF0\\x9F\\x98 c\\xED\\xA0\\x80 d\\xC0\\xAF \xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("the room document is written as Poco would write it and reads back", "[json_writer]") {
    for (const Room& room : sampleRooms()) {
        const std::string text = encodeRoom(room);
        // Poco re-writes what it parses (key order kept) in its own form: nothing may change.
        CHECK(json::stringify(json::parseObject(text, "test")) == text);
        CHECK(decodeRoom(text) == room);
    }
}
