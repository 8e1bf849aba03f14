#include <catch2/catch.hpp>

#include "room/text_validation.hpp"

using namespace fp::room;

namespace {
std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) {
        out += piece;
    }
    return out;
}
const std::string kEmoji = "\xF0\x9F\x98\x80";  // U+1F600, one code point, four bytes
}  // namespace

TEST_CASE("UTF-8 is decoded strictly", "[text]") {
    CHECK(isValidUtf8("plain"));
    CHECK(isValidUtf8("h\xC3\xA9llo " + kEmoji));
    CHECK_FALSE(isValidUtf8("\xC3"));              // truncated
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xFF"));
    CHECK(decodeUtf8("a" + kEmoji)->size() == 2);
    CHECK(encodeUtf8(U"a\U0001F600\u00E9") == "a" + kEmoji + "\xC3\xA9");
}

TEST_CASE("lengths count code points, not bytes", "[text]") {
    CHECK(codePointCount(kEmoji) == 1);
    CHECK(codePointCount("h\xC3\xA9llo") == 5);
    CHECK(checkName(repeat(kEmoji, 64)).ok);
    const TextCheck tooLong = checkName(repeat(kEmoji, 65));
    CHECK_FALSE(tooLong.ok);
    CHECK_THAT(tooLong.problem, Catch::Contains("64"));
    CHECK(checkName(repeat("a", 64)).ok);
    CHECK_FALSE(checkName(repeat("a", 65)).ok);
    CHECK(checkTitle(repeat("\xC3\xA9", 256)).ok);
    CHECK_FALSE(checkTitle(repeat("\xC3\xA9", 257)).ok);
}

TEST_CASE("names are trimmed and must not be empty or hold control characters", "[text]") {
    const TextCheck trimmed = checkName("  \t Aiko \xE3\x80\x80");  // ends with U+3000
    REQUIRE(trimmed.ok);
    CHECK(trimmed.value == "Aiko");
    CHECK(checkName("Ai ko").value == "Ai ko");
    CHECK_FALSE(checkName("").ok);
    CHECK_FALSE(checkName("   ").ok);
    CHECK_FALSE(checkName("bell\x07").ok);
    CHECK_FALSE(checkName("two\nlines").ok);
    CHECK_FALSE(checkName("del\x7F").ok);
    CHECK_FALSE(checkName("c1\xC2\x85x").ok);  // U+0085 inside: a Cc character
    CHECK_FALSE(checkName("bad\xFF").ok);
    // 64 characters after trimming, however much white space around them
    CHECK(checkName("   " + repeat("a", 64) + "   ").ok);
}

TEST_CASE("room ids are [A-Za-z0-9_-]{1,64}", "[text]") {
    CHECK(isValidRoomId("team-alpha_01"));
    CHECK(isValidRoomId(repeat("a", 64)));
    CHECK_FALSE(isValidRoomId(repeat("a", 65)));
    CHECK_FALSE(isValidRoomId(""));
    CHECK_FALSE(isValidRoomId("team alpha"));
    CHECK_FALSE(isValidRoomId("team/alpha"));
    CHECK_FALSE(isValidRoomId("caf\xC3\xA9"));
}

TEST_CASE("story refs and urls", "[text]") {
    CHECK(checkRef("").ok);
    CHECK(checkRef(repeat("x", 64)).ok);
    CHECK_FALSE(checkRef(repeat("x", 65)).ok);
    CHECK(checkUrl("https://example.com/FP-12").ok);
    CHECK(checkUrl("HTTP://example.com").ok);
    CHECK(checkUrl("").ok);
    CHECK_FALSE(checkUrl("ftp://example.com").ok);
    CHECK_FALSE(checkUrl("javascript:alert(1)").ok);
    CHECK_FALSE(checkUrl("https://").ok);
    CHECK_FALSE(checkUrl("https://exa mple.com").ok);
    const std::string base = "https://e.com/";
    CHECK(checkUrl(base + repeat("a", 512 - static_cast<int>(base.size()))).ok);
    CHECK_FALSE(checkUrl(base + repeat("a", 513 - static_cast<int>(base.size()))).ok);
}
