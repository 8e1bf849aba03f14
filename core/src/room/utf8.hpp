// UTF-8 at the byte level: reading one sequence strictly, and making any text safe to quote.
// Every text frame and log line the server writes must be valid UTF-8 (RFC 6455 lets a
// client fail the connection with 1007 otherwise), whatever bytes a client sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fp::room {

struct Utf8Sequence {
    char32_t codePoint = 0;
    std::size_t length = 0;  // 0: the bytes at this place are not a valid sequence
};

// The sequence starting at `at` (< text.size()): shortest form only, no surrogates, nothing
// above U+10FFFF, not cut by the end of the text.
Utf8Sequence readUtf8(std::string_view text, std::size_t at);

// `text` with every byte that is not part of a valid sequence written as the four ASCII
// characters \xNN (upper-case hex); whole code points are kept. Valid text comes back as it is.
std::string escapeInvalidUtf8(std::string_view text);

}  // namespace fp::room
