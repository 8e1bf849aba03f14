// Text checks of PROTOCOL.md: valid UTF-8, lengths in Unicode code points, no Cc characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fp::room {

// Decodes UTF-8 strictly (no overlong forms, no surrogates, nothing above U+10FFFF).
std::optional<std::u32string> decodeUtf8(std::string_view text);
bool isValidUtf8(std::string_view text);
std::string encodeUtf8(std::u32string_view text);
// Code points of valid UTF-8 (for invalid input: the number of bytes that start a sequence).
std::size_t codePointCount(std::string_view text);

bool isControlCharacter(char32_t c);   // Unicode general category Cc
bool isUnicodeWhitespace(char32_t c);  // Unicode White_Space
// Removes Unicode White_Space at both ends. Input that is not valid UTF-8 is returned unchanged.
std::string trimText(std::string_view text);

bool isValidRoomId(std::string_view id);  // [A-Za-z0-9_-]{1,64}

// Result of a text check: `value` is the trimmed text when ok, `problem` says why not.
struct TextCheck {
    bool ok = false;
    std::string value;
    std::string problem;
};

// Trimmed; valid UTF-8; no control character; minLength..maxLength code points.
TextCheck checkText(std::string_view raw, std::size_t minLength, std::size_t maxLength);
TextCheck checkName(std::string_view raw);   // 1..64
TextCheck checkTitle(std::string_view raw);  // 1..256
TextCheck checkRef(std::string_view raw);    // 0..64 (empty means none)
TextCheck checkUrl(std::string_view raw);    // 0..512, http:// or https://, no white space

}  // namespace fp::room
