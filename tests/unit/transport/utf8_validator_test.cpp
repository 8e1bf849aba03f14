#include <catch2/catch.hpp>

#include "utf8_validator.hpp"

using fp::websocket::isValidUtf8;
using fp::websocket::Utf8Validator;

TEST_CASE("UTF-8: valid text of every sequence length is accepted", "[utf8]") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("plain ascii {\"type\":\"vote\"}"));
    CHECK(isValidUtf8("\xC2\xBD"));          // ½ (2 bytes)
    CHECK(isValidUtf8("\xE2\x82\xAC"));      // € (3 bytes)
    CHECK(isValidUtf8("\xF0\x9F\x83\x8F"));  // 🃏 (4 bytes)
    CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("UTF-8: malformed sequences are refused", "[utf8]") {
    CHECK_FALSE(isValidUtf8("\x80"));              // stray continuation
    CHECK_FALSE(isValidUtf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(isValidUtf8("\xC1\xBF"));          // overlong 2-byte
    CHECK_FALSE(isValidUtf8("\xE0\x80\xAF"));      // overlong 3-byte
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));  // overlong 4-byte
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xF5\x80\x80\x80"));  // invalid lead byte
    CHECK_FALSE(isValidUtf8("\xFF"));
    CHECK_FALSE(isValidUtf8("\xE2\x82"));      // truncated at the end
    CHECK_FALSE(isValidUtf8("\xE2\x28\xA1"));  // bad continuation
}

TEST_CASE("UTF-8: a code point split across pieces is accepted, and fails fast", "[utf8]") {
    Utf8Validator validator;
    CHECK(validator.feed("ab\xF0\x9F"));
    CHECK_FALSE(validator.complete());  // half a code point pending
    CHECK(validator.feed("\x83"));
    CHECK(
        validator.feed("\x8F"
                       "cd"));
    CHECK(validator.complete());

    validator.reset();
    CHECK_FALSE(validator.feed("ok\xED\xA0"));  // refused at the second byte of a surrogate
    CHECK(validator.failed());
    CHECK_FALSE(validator.feed("x"));  // and stays refused
}
