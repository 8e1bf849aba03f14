#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "frame_codec.hpp"
#include "frame_decoder.hpp"

using namespace fp::websocket;
using Kind = DecodedEvent::Kind;

namespace {

const MaskKey kMask{0x12, 0x34, 0x56, 0x78};

std::string clientFrame(Opcode op, const std::string& payload, bool fin = true) {
    return encodeFrame(op, payload, fin, kMask);
}

std::vector<DecodedEvent> decodeAll(FrameDecoder& decoder, const std::string& bytes) {
    std::vector<DecodedEvent> events;
    decoder.feed(bytes, events);
    return events;
}

// Feeds one byte at a time: the decoder must never need more than it was given.
std::vector<DecodedEvent> decodeBytewise(FrameDecoder& decoder, const std::string& bytes) {
    std::vector<DecodedEvent> events;
    for (char c : bytes)
        decoder.feed(std::string_view(&c, 1), events);
    return events;
}

}  // namespace

TEST_CASE("codec: server frame headers for lengths 125, 126, 65535, 65536", "[codec]") {
    const auto f125 = encodeFrame(Opcode::text, std::string(125, 'a'));
    REQUIRE(f125.size() == 2 + 125);
    CHECK(static_cast<unsigned char>(f125[0]) == 0x81);  // FIN + text
    CHECK(static_cast<unsigned char>(f125[1]) == 125);   // unmasked, 7-bit length

    const auto f126 = encodeFrame(Opcode::text, std::string(126, 'a'));
    REQUIRE(f126.size() == 4 + 126);
    CHECK(static_cast<unsigned char>(f126[1]) == 126);
    CHECK(static_cast<unsigned char>(f126[2]) == 0x00);
    CHECK(static_cast<unsigned char>(f126[3]) == 126);

    const auto f65535 = encodeFrame(Opcode::text, std::string(65535, 'a'));
    REQUIRE(f65535.size() == 4 + 65535);
    CHECK(static_cast<unsigned char>(f65535[1]) == 126);
    CHECK(static_cast<unsigned char>(f65535[2]) == 0xFF);
    CHECK(static_cast<unsigned char>(f65535[3]) == 0xFF);

    const auto f65536 = encodeFrame(Opcode::text, std::string(65536, 'a'));
    REQUIRE(f65536.size() == 10 + 65536);
    CHECK(static_cast<unsigned char>(f65536[1]) == 127);
    const std::string expectedLength("\x00\x00\x00\x00\x00\x01\x00\x00", 8);
    CHECK(f65536.substr(2, 8) == expectedLength);
}

TEST_CASE("codec: client frames are masked on the wire and unmasked by the decoder", "[codec]") {
    const std::string payload = "{\"type\":\"ping\"}";
    const auto frame = clientFrame(Opcode::text, payload);
    CHECK((static_cast<unsigned char>(frame[1]) & 0x80) != 0);
    CHECK(frame.substr(2, 4) == std::string("\x12\x34\x56\x78", 4));
    CHECK(frame.substr(6) != payload);  // really masked
    CHECK(static_cast<unsigned char>(frame[6]) == ('{' ^ 0x12));

    FrameDecoder decoder(16384);
    auto events = decodeBytewise(decoder, frame);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::text);
    CHECK(events[0].payload == payload);
    CHECK(decoder.framesCompleted() == 1);
}

TEST_CASE("codec: decoder handles every length encoding, fed byte by byte", "[codec]") {
    for (std::size_t length : {std::size_t{0}, std::size_t{125}, std::size_t{126},
                               std::size_t{65535}, std::size_t{65536}}) {
        std::string payload(length, 'x');
        for (std::size_t i = 0; i < length; ++i)
            payload[i] = static_cast<char>('a' + i % 26);
        FrameDecoder decoder(100000);
        const auto frame = clientFrame(Opcode::text, payload);
        auto events = length > 1000 ? decodeAll(decoder, frame) : decodeBytewise(decoder, frame);
        INFO("length " << length);
        REQUIRE(events.size() == 1);
        CHECK(events[0].kind == Kind::text);
        CHECK(events[0].payload == payload);
    }
}

TEST_CASE("codec: a split frame yields nothing until its last byte arrives", "[codec]") {
    FrameDecoder decoder(16384);
    const auto frame = clientFrame(Opcode::text, "hello world");
    std::vector<DecodedEvent> events;
    decoder.feed(std::string_view(frame).substr(0, 7), events);
    CHECK(events.empty());
    decoder.feed(std::string_view(frame).substr(7, frame.size() - 8), events);
    CHECK(events.empty());
    decoder.feed(std::string_view(frame).substr(frame.size() - 1), events);
    REQUIRE(events.size() == 1);
    CHECK(events[0].payload == "hello world");
}

TEST_CASE("codec: 16384 bytes are accepted, 16385 refused from the header alone", "[codec]") {
    FrameDecoder accepting(16384);
    auto events = decodeAll(accepting, clientFrame(Opcode::text, std::string(16384, 'a')));
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::text);
    CHECK(events[0].payload.size() == 16384);

    // Only the 8-byte header (2 + 2 length + 4 mask) of a 16385-byte frame: no payload yet.
    FrameDecoder refusing(16384);
    const auto header = clientFrame(Opcode::text, std::string(16385, 'a')).substr(0, 8);
    events = decodeAll(refusing, header);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::protocolError);
    CHECK(events[0].code == closecode::messageTooBig);
    CHECK(refusing.stopped());
}

TEST_CASE("codec: fragments are reassembled and limited as a whole", "[codec]") {
    FrameDecoder decoder(16384);
    const auto bytes = clientFrame(Opcode::text, "{\"type\":", false) +
                       clientFrame(Opcode::continuation, "\"vote\",", false) +
                       clientFrame(Opcode::continuation, "\"card\":\"5\"}", true);
    auto events = decodeBytewise(decoder, bytes);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::text);
    CHECK(events[0].payload == "{\"type\":\"vote\",\"card\":\"5\"}");
    CHECK(decoder.framesCompleted() == 3);

    // 10000 + 6385 = 16385: refused at the second fragment's header.
    FrameDecoder limited(16384);
    events = decodeAll(limited,
                       clientFrame(Opcode::text, std::string(10000, 'a'), false) +
                           clientFrame(Opcode::continuation, std::string(6385, 'b')).substr(0, 8));
    REQUIRE(events.size() == 1);
    CHECK(events[0].code == closecode::messageTooBig);

    // Exactly 16384 in total is fine.
    FrameDecoder exact(16384);
    events = decodeAll(exact, clientFrame(Opcode::text, std::string(10000, 'a'), false) +
                                  clientFrame(Opcode::continuation, std::string(6384, 'b')));
    REQUIRE(events.size() == 1);
    CHECK(events[0].payload.size() == 16384);
}

TEST_CASE("codec: control frames between fragments are delivered in order", "[codec]") {
    FrameDecoder decoder(16384);
    const auto bytes = clientFrame(Opcode::text, "abc", false) + clientFrame(Opcode::ping, "p1") +
                       clientFrame(Opcode::continuation, "def", false) +
                       clientFrame(Opcode::pong, "") + clientFrame(Opcode::continuation, "ghi");
    auto events = decodeBytewise(decoder, bytes);
    REQUIRE(events.size() == 3);
    CHECK(events[0].kind == Kind::ping);
    CHECK(events[0].payload == "p1");
    CHECK(events[1].kind == Kind::pong);
    CHECK(events[2].kind == Kind::text);
    CHECK(events[2].payload == "abcdefghi");
}

TEST_CASE("codec: protocol violations map to the right close codes", "[codec]") {
    struct Case {
        const char* what;
        std::string bytes;
        std::uint16_t code;
    };
    std::string rsv = clientFrame(Opcode::text, "x");
    rsv[0] = static_cast<char>(rsv[0] | 0x40);
    std::string unknownOpcode = clientFrame(Opcode::text, "x");
    unknownOpcode[0] = static_cast<char>(0x83);
    std::string hugeLength("\x81\xFF\x80\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04", 14);
    const std::vector<Case> cases = {
        {"unmasked frame", encodeFrame(Opcode::text, "hi"), closecode::protocolError},
        {"binary frame", clientFrame(Opcode::binary, "\x01\x02"), closecode::unsupportedData},
        {"reserved bit", rsv, closecode::protocolError},
        {"unknown opcode", unknownOpcode, closecode::protocolError},
        {"fragmented ping", clientFrame(Opcode::ping, "x", false), closecode::protocolError},
        {"126-byte ping", clientFrame(Opcode::ping, std::string(126, 'p')),
         closecode::protocolError},
        {"continuation first", clientFrame(Opcode::continuation, "x"), closecode::protocolError},
        {"text inside a message",
         clientFrame(Opcode::text, "a", false) + clientFrame(Opcode::text, "b"),
         closecode::protocolError},
        {"length with top bit", hugeLength, closecode::protocolError},
        {"invalid UTF-8", clientFrame(Opcode::text, "\xC3\x28"), closecode::invalidPayload},
        {"close with 1 byte", clientFrame(Opcode::close, "\x03"), closecode::protocolError},
        {"close code 1005", clientFrame(Opcode::close, std::string("\x03\xED", 2)),
         closecode::protocolError},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        FrameDecoder decoder(16384);
        auto events = decodeAll(decoder, c.bytes + clientFrame(Opcode::text, "after"));
        REQUIRE(events.size() == 1);  // nothing is decoded after the error
        CHECK(events[0].kind == Kind::protocolError);
        CHECK(events[0].code == c.code);
        CHECK(decoder.stopped());
    }
}

TEST_CASE("codec: UTF-8 split across fragments is valid, truncated or bad is 1007", "[codec]") {
    FrameDecoder decoder(16384);
    // "🃏" (F0 9F 83 8F) cut in the middle by a fragment boundary.
    auto events = decodeAll(decoder, clientFrame(Opcode::text, "card \xF0\x9F", false) +
                                         clientFrame(Opcode::continuation, "\x83\x8F!"));
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::text);
    CHECK(events[0].payload == "card \xF0\x9F\x83\x8F!");

    FrameDecoder truncated(16384);
    events = decodeAll(truncated, clientFrame(Opcode::text, "card \xF0\x9F", false) +
                                      clientFrame(Opcode::continuation, "\x83"));
    REQUIRE(events.size() == 1);
    CHECK(events[0].code == closecode::invalidPayload);

    // Refused in the first fragment, before the message is complete.
    FrameDecoder early(16384);
    events = decodeAll(early, clientFrame(Opcode::text, "\xFF", false));
    REQUIRE(events.size() == 1);
    CHECK(events[0].code == closecode::invalidPayload);
}

TEST_CASE("codec: close frames carry code and reason", "[codec]") {
    FrameDecoder decoder(16384);
    auto events = decodeAll(decoder, encodeCloseFrame(4001, "kicked", kMask));
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::close);
    CHECK(events[0].code == 4001);
    CHECK(events[0].payload == "kicked");

    FrameDecoder empty(16384);
    events = decodeAll(empty, clientFrame(Opcode::close, ""));
    REQUIRE(events.size() == 1);
    CHECK(events[0].code == closecode::noStatus);

    // Long reasons are cut to the 125-byte control limit without splitting a code point.
    const auto frame = encodeCloseFrame(1001, std::string(122, 'a') + "\xE2\x82\xAC");
    CHECK(frame.size() == 2 + 2 + 122);
    CHECK(static_cast<unsigned char>(frame[1]) == 124);
}
