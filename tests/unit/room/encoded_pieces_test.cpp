// Each change of a room copies the pieces of the previous text (participants, history, departed)
// whose values did not change (room/encoded_text.hpp). Whatever the change, the result must be
// byte for byte what writing everything gives, for the stored document and the public state.
#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

namespace {

// Applies `step` to the harness and checks the texts written from the previous ones.
struct PieceChecker {
    RoomHarness& h;
    Room previousRoom;
    EncodedText previousDocument;
    EncodedText previousState;
    int copiedParticipants = 0;

    explicit PieceChecker(RoomHarness& harness)
        : h(harness),
          previousRoom(harness.room),
          previousDocument(encodeRoomText(harness.room, nullptr)),
          previousState(publicStateText(harness.room, nullptr)) {}

    void check(const std::string& what) {
        INFO("after " << what);
        const PreviousText document{previousRoom, previousDocument};
        const PreviousText state{previousRoom, previousState};
        EncodedText nextDocument = encodeRoomText(h.room, &document);
        EncodedText nextState = publicStateText(h.room, &state);
        CHECK(nextDocument.text == encodeRoom(h.room));
        CHECK(nextState.text == publicStateJson(h.room));
        REQUIRE(nextDocument.participants.size() == h.room.participants.size());
        REQUIRE(nextState.participants.size() == h.room.participants.size());
        // Every recorded piece is one whole JSON object of that participant.
        for (std::size_t i = 0; i < h.room.participants.size(); ++i) {
            const auto piece = PreviousText{h.room, nextState}.piece(nextState.participants[i]);
            auto object = fp::room::test::parse(std::string(piece));
            CHECK(object->getValue<std::string>("id") == h.room.participants[i].id);
            if (i < previousRoom.participants.size() &&
                previousRoom.participants[i] == h.room.participants[i])
                ++copiedParticipants;
        }
        previousRoom = h.room;
        previousDocument = std::move(nextDocument);
        previousState = std::move(nextState);
    }
};

}  // namespace

TEST_CASE("texts written from the previous ones are the texts written whole", "[pieces]") {
    RoomHarness h;
    PieceChecker pieces(h);
    const std::string aiko = h.join("Aiko");
    pieces.check("a join");
    const std::string ben = h.join("Ben \\\"B\\\"");  // JSON-escaped in the join
    const std::string cleo = h.join("Cleo", "observer");
    const std::string dana = h.join("Dana");
    pieces.check("joins");
    h.vote(ben, "5");
    pieces.check("a vote");
    h.vote(dana, "8");
    pieces.check("another vote");
    h.ok(h.send(aiko, "reveal"));
    pieces.check("reveal (every card shown)");
    h.ok(h.send(aiko, "finalize", R"({"estimate":"5","story":{"title":"Free"}})"));
    pieces.check("finalize (history grows)");
    h.vote(ben, "3");
    pieces.check("a vote after a result");
    h.ok(h.send(aiko, "handover", R"({"participantId":")" + ben + "\"}"));
    pieces.check("handover (the facilitator changes)");
    h.ok(h.send(dana, "rename", R"({"name":"Dana D."})"));
    pieces.check("rename");
    h.ok(h.send(cleo, "role", R"({"role":"voter"})"));
    pieces.check("role");
    h.ok(h.internal("disconnect", dana));
    pieces.check("disconnect (offline)");
    h.ok(h.send(ben, "kick", R"({"participantId":")" + aiko + "\"}"));
    pieces.check("kick (the others move up one place, departed grows)");
    h.ok(h.send(ben, "settings", R"({"anonymous":true})"));
    pieces.check("anonymous on (history shown without names)");
    h.vote(cleo, "2");
    h.ok(h.send(ben, "reveal"));
    pieces.check("anonymous reveal");
    h.ok(h.send(ben, "reset"));
    pieces.check("reset");
    h.ok(h.send(ben, "settings", R"({"deck":"tshirt"})"));
    pieces.check("another deck");
    h.join("Eve");
    pieces.check("a join after a kick");
    // The point of it: most participants are copied, not written again.
    CHECK(pieces.copiedParticipants > 20);
}

TEST_CASE("a copy of a room shares its history and departed ids until one of them changes",
          "[pieces][shared_list]") {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.vote(aiko, "5");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"5","story":{"title":"One"}})"));
    const Room before = h.room;
    Room copy = before;
    CHECK(&copy.history.items() == &before.history.items());  // shared, not copied
    h.vote(ben, "3");  // a vote copies the room, not its history
    CHECK(&h.room.history.items() == &before.history.items());
    copy.history.mutate().push_back(before.history.back());  // the copy's own list now
    CHECK(copy.history.size() == 2);
    CHECK(before.history.size() == 1);
    CHECK(&copy.history.items() != &before.history.items());
    CHECK(copy.history != before.history);
    copy.history.mutate().pop_back();
    CHECK(copy.history == before.history);  // equal by content
    h.ok(h.send(aiko, "kick", R"({"participantId":")" + ben + "\"}"));
    CHECK(h.room.departed.size() == 1);
    CHECK(before.departed.empty());
}
