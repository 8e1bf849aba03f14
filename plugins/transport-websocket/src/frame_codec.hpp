// RFC 6455 frame encoding and the protocol constants shared by the decoder and the connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fp::websocket {

enum class Opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

inline bool isControl(Opcode op) {
    return (static_cast<std::uint8_t>(op) & 0x8) != 0;
}

// Close codes (RFC 6455 section 7.4.1) used by this transport.
namespace closecode {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t goingAway = 1001;
inline constexpr std::uint16_t protocolError = 1002;
inline constexpr std::uint16_t unsupportedData = 1003;
inline constexpr std::uint16_t noStatus = 1005;  // never sent: "the peer's CLOSE had no code"
inline constexpr std::uint16_t abnormal = 1006;  // never sent: "no CLOSE at all"
inline constexpr std::uint16_t invalidPayload = 1007;
inline constexpr std::uint16_t policyViolation = 1008;
inline constexpr std::uint16_t messageTooBig = 1009;
inline constexpr std::uint16_t internalError = 1011;
}  // namespace closecode

inline constexpr std::size_t kMaxControlPayload = 125;
inline constexpr std::size_t kMaxFrameHeader = 14;  // 2 + 8 (64-bit length) + 4 (mask)

using MaskKey = std::array<std::uint8_t, 4>;

// One frame. Without a mask key it is a server frame (servers never mask); with one it is a
// client frame, which this server only builds for tests and tools.
std::string encodeFrame(Opcode opcode, std::string_view payload, bool fin = true,
                        std::optional<MaskKey> mask = std::nullopt);

// A CLOSE frame with a status code and a reason cut to fit the 125-byte control limit
// (at a UTF-8 boundary, so the reason stays valid text).
std::string encodeCloseFrame(std::uint16_t code, std::string_view reason,
                             std::optional<MaskKey> mask = std::nullopt);

// Whether a code may appear in a CLOSE frame on the wire (RFC 6455 7.4, IANA registry).
bool isSendableCloseCode(std::uint16_t code);

// XORs `data` with the mask, starting at byte `offset` of the frame payload.
void applyMask(char* data, std::size_t size, const MaskKey& mask, std::size_t offset);

}  // namespace fp::websocket
