// The client side of RFC 6455 framing, just what a load generator needs: masked text frames
// out, unmasked (or masked) frames of any kind in, fragmented messages reassembled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fp::bench {

enum class Opcode : std::uint8_t {
    continuation = 0,
    text = 1,
    binary = 2,
    close = 8,
    ping = 9,
    pong = 10
};

// Appends one masked frame (FIN set) to `out`. `maskKey` should differ between frames; the
// bench uses a cheap PRNG since masking only guards proxies, not secrecy.
void appendMaskedFrame(std::string& out, Opcode opcode, std::string_view payload,
                       std::uint32_t maskKey);

struct Frame {
    Opcode opcode = Opcode::text;
    bool fin = true;
    std::string_view payload;  // points into the buffer given to parseFrame
};

enum class ParseResult { frame, needMore, invalid };

// Parses the frame at the start of `buffer`. On `frame`, `consumed` is its total length.
// A masked server frame is unmasked in place (hence the non-const buffer).
ParseResult parseFrame(std::string& buffer, std::size_t offset, Frame& frame,
                       std::size_t& consumed);

}  // namespace fp::bench
