#include "frame_codec.hpp"

#include <algorithm>

namespace fp::websocket {

std::string encodeFrame(Opcode opcode, std::string_view payload, bool fin,
                        std::optional<MaskKey> mask) {
    const std::uint64_t length = payload.size();
    std::string frame;
    frame.reserve(kMaxFrameHeader + payload.size());
    frame.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode)));
    const std::uint8_t maskBit = mask ? 0x80 : 0x00;
    if (length < 126) {
        frame.push_back(static_cast<char>(maskBit | length));
    } else if (length <= 0xFFFF) {
        frame.push_back(static_cast<char>(maskBit | 126));
        frame.push_back(static_cast<char>((length >> 8) & 0xFF));
        frame.push_back(static_cast<char>(length & 0xFF));
    } else {
        frame.push_back(static_cast<char>(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.push_back(static_cast<char>((length >> shift) & 0xFF));
        }
    }
    const std::size_t payloadStart = frame.size() + (mask ? 4 : 0);
    if (mask) {
        for (std::uint8_t b : *mask)
            frame.push_back(static_cast<char>(b));
    }
    frame.append(payload.data(), payload.size());
    if (mask)
        applyMask(frame.data() + payloadStart, payload.size(), *mask, 0);
    return frame;
}

std::string encodeCloseFrame(std::uint16_t code, std::string_view reason,
                             std::optional<MaskKey> mask) {
    std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
    // Do not cut a multi-byte code point in half.
    while (keep > 0 && keep < reason.size() &&
           (static_cast<unsigned char>(reason[keep]) & 0xC0) == 0x80) {
        --keep;
    }
    std::string payload;
    payload.push_back(static_cast<char>(code >> 8));
    payload.push_back(static_cast<char>(code & 0xFF));
    payload.append(reason.substr(0, keep));
    return encodeFrame(Opcode::close, payload, true, mask);
}

bool isSendableCloseCode(std::uint16_t code) {
    if (code >= 3000 && code <= 4999)
        return true;  // registered and private-use codes
    switch (code) {
        case 1000:
        case 1001:
        case 1002:
        case 1003:
        case 1007:
        case 1008:
        case 1009:
        case 1010:
        case 1011:
        case 1012:
        case 1013:
        case 1014:
            return true;
        default:
            return false;  // includes 1004, 1005, 1006, 1015 and anything unassigned
    }
}

void applyMask(char* data, std::size_t size, const MaskKey& mask, std::size_t offset) {
    for (std::size_t i = 0; i < size; ++i) {
        data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ mask[(offset + i) & 3]);
    }
}

}  // namespace fp::websocket
