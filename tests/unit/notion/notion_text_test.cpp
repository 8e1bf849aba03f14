#include <catch2/catch.hpp>

#include "notion_text.hpp"

using fp::notion::splitUtf16;
using fp::notion::truncateUtf16;
using fp::notion::utf16Length;

TEST_CASE("lengths count UTF-16 units as Notion does", "[notion][text]") {
    CHECK(utf16Length("abc") == 3);
    CHECK(utf16Length("\xC3\xA9") == 1);          // é
    CHECK(utf16Length("\xE2\x82\xAC") == 1);      // €
    CHECK(utf16Length("\xF0\x9F\x98\x80") == 2);  // 😀, a surrogate pair
}

TEST_CASE("truncation never cuts a character in half", "[notion][text]") {
    const std::string emoji = "\xF0\x9F\x98\x80";
    std::string text = "a";
    for (int i = 0; i < 1500; ++i)
        text += emoji;
    const std::string cut = truncateUtf16(text, 2000);
    CHECK(utf16Length(cut) == 1999);  // 'a' + 999 emoji; the 1000th would need 2001
    CHECK(cut.size() == 1 + 999 * 4);
    CHECK(truncateUtf16("short", 2000) == "short");
    CHECK(truncateUtf16("", 2000).empty());
}

TEST_CASE("invalid UTF-8 bytes become U+FFFD", "[notion][text]") {
    CHECK(truncateUtf16("a\xFF"
                        "b",
                        10) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(truncateUtf16("\xE2\x82", 10) == "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut sequence
}

TEST_CASE("long text splits into pieces that join back", "[notion][text]") {
    std::string text;
    for (int i = 0; i < 4500; ++i)
        text += (i % 7 == 0) ? "\xC3\xA9" : "x";
    bool fits = false;
    auto pieces = splitUtf16(text, 2000, 100, fits);
    REQUIRE(fits);
    REQUIRE(pieces.size() == 3);
    std::string joined;
    for (const auto& piece : pieces) {
        CHECK(utf16Length(piece) <= 2000);
        joined += piece;
    }
    CHECK(joined == text);

    pieces = splitUtf16(text, 2000, 2, fits);
    CHECK_FALSE(fits);
    CHECK(pieces.size() == 2);
    CHECK(splitUtf16("", 2000, 100, fits).empty());
    CHECK(fits);
}
