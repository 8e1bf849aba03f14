// The `state` message is written without Poco::JSON trees; these tests hold it to the bytes
// a Poco::JSON tree of the same content gives ({"cause","room","serverTime","type"}, keys
// sorted as a plain Poco::JSON::Object sorts them), for a client's change, a kick and the
// server's own changes.
#include <Poco/JSON/Object.h>

#include <catch2/catch.hpp>

#include "../room/room_test_support.hpp"
#include "room/public_state.hpp"
#include "room/time_format.hpp"
#include "service/state_message.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

namespace {

std::string expected(const Room& after, Poco::JSON::Object::Ptr cause, std::int64_t nowMs) {
    Poco::JSON::Object::Ptr message = new Poco::JSON::Object();  // sorted keys
    message->set("type", "state");
    message->set("cause", cause);
    message->set("serverTime", formatIsoUtcMs(nowMs));
    message->set("room", fp::room::test::parse(publicStateJson(after)));
    return json::stringify(message);
}

Poco::JSON::Object::Ptr cause(const std::string& type, const std::string& by,
                              const std::string& reason = "", const std::string& target = "") {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object();
    object->set("type", type);
    object->set("by", by.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(by));
    if (!reason.empty())
        object->set("reason", reason);
    if (!target.empty())
        object->set("target", target);
    return object;
}

Command command(const std::string& type, const std::string& actor, const std::string& fields) {
    Command c;
    c.kind = fp::room::test::kindNamed(type);
    c.actorId = actor;
    if (!fields.empty())
        c.message = fp::room::test::parse(fields);
    return c;
}

}  // namespace

TEST_CASE("the state message has the bytes of the Poco::JSON rendering", "[state_message]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko \\\"A\\\" \\\\ /");  // JSON-escaped
    const std::string ben = h.join("Ben");
    const Room before = h.room;
    h.vote(aiko, "5");
    const std::int64_t now = fp::room::test::kT0 + 1234;

    CHECK(fp::service::renderStateMessage(before, h.room, command("vote", aiko, R"({"card":"5"})"),
                                          aiko, publicStateJson(h.room),
                                          now) == expected(h.room, cause("vote", aiko), now));

    const auto kick = command("kick", aiko, R"({"participantId":")" + ben + "\"}");
    CHECK(
        fp::service::renderStateMessage(before, h.room, kick, aiko, publicStateJson(h.room), now) ==
        expected(h.room, cause("kick", aiko, "", ben), now));

    // The server's own changes: by null, with a reason.
    CHECK(fp::service::renderStateMessage(before, h.room, command("autoReveal", "", ""), "",
                                          publicStateJson(h.room), now) ==
          expected(h.room, cause("reveal", "", "allVoted"), now));
    CHECK(fp::service::renderStateMessage(before, h.room, command("sweep", "", ""), "",
                                          publicStateJson(h.room), now) ==
          expected(h.room, cause("presence", "", "presence"), now));
    Room revealed = h.room;
    revealed.stage = Stage::revealed;
    CHECK(fp::service::renderStateMessage(h.room, revealed, command("sweep", "", ""), "",
                                          publicStateJson(revealed), now) ==
          expected(revealed, cause("reveal", "", "timer"), now));
}
