#include "ws_frame.hpp"

namespace fp::bench {

void appendMaskedFrame(std::string& out, Opcode opcode, std::string_view payload,
                       std::uint32_t maskKey) {
    out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    const std::size_t length = payload.size();
    if (length < 126) {
        out.push_back(static_cast<char>(0x80 | length));
    } else if (length <= 0xFFFF) {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>(length >> 8));
        out.push_back(static_cast<char>(length & 0xFF));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(static_cast<char>((static_cast<std::uint64_t>(length) >> shift) & 0xFF));
    }
    const char mask[4] = {static_cast<char>(maskKey >> 24), static_cast<char>(maskKey >> 16),
                          static_cast<char>(maskKey >> 8), static_cast<char>(maskKey)};
    out.append(mask, 4);
    const std::size_t start = out.size();
    out.append(payload.data(), length);
    for (std::size_t i = 0; i < length; ++i)
        out[start + i] = static_cast<char>(out[start + i] ^ mask[i & 3]);
}

ParseResult parseFrame(std::string& buffer, std::size_t offset, Frame& frame,
                       std::size_t& consumed) {
    const std::size_t available = buffer.size() - offset;
    if (available < 2)
        return ParseResult::needMore;
    const auto* bytes = reinterpret_cast<unsigned char*>(buffer.data() + offset);
    if ((bytes[0] & 0x70) != 0)
        return ParseResult::invalid;  // no extensions were negotiated
    frame.fin = (bytes[0] & 0x80) != 0;
    frame.opcode = static_cast<Opcode>(bytes[0] & 0x0F);
    const bool masked = (bytes[1] & 0x80) != 0;
    std::uint64_t length = bytes[1] & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
        if (available < 4)
            return ParseResult::needMore;
        length = (static_cast<std::uint64_t>(bytes[2]) << 8) | bytes[3];
        header = 4;
    } else if (length == 127) {
        if (available < 10)
            return ParseResult::needMore;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | bytes[2 + i];
        header = 10;
    }
    if (length > (64u << 20))
        return ParseResult::invalid;
    const std::size_t maskBytes = masked ? 4 : 0;
    if (available < header + maskBytes + length)
        return ParseResult::needMore;
    char* payload = buffer.data() + offset + header + maskBytes;
    if (masked) {
        const unsigned char* mask = bytes + header;
        for (std::uint64_t i = 0; i < length; ++i)
            payload[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
    }
    frame.payload = std::string_view(payload, static_cast<std::size_t>(length));
    consumed = header + maskBytes + static_cast<std::size_t>(length);
    return ParseResult::frame;
}

}  // namespace fp::bench
