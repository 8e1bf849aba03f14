#include "frame_decoder.hpp"

#include <algorithm>
#include <utility>

namespace fp::websocket {

FrameDecoder::FrameDecoder(std::size_t maxMessageBytes, bool requireMask)
    : maxMessageBytes_(maxMessageBytes), requireMask_(requireMask) {}

void FrameDecoder::feed(std::string_view bytes, std::vector<DecodedEvent>& events) {
    while (!bytes.empty() && state_ != State::stopped) {
        if (state_ == State::header) {
            // Take only the header bytes we know we need, so payload bytes stay in `bytes`.
            std::size_t needed = headerBytesNeeded();
            std::size_t take = std::min(needed - headerHave_, bytes.size());
            std::copy_n(bytes.data(), take, header_ + headerHave_);
            headerHave_ += take;
            bytes.remove_prefix(take);
            if (headerHave_ == 2 && !checkFirstTwoBytes(events))
                return;
            if (headerHave_ < 2 || headerHave_ < headerBytesNeeded())
                continue;
            if (!startPayload(events))
                return;
        } else {
            bytes.remove_prefix(consumePayload(bytes, events));
        }
    }
}

std::size_t FrameDecoder::headerBytesNeeded() const {
    if (headerHave_ < 2)
        return 2;
    std::size_t needed = 2;
    const unsigned lengthCode = header_[1] & 0x7F;
    if (lengthCode == 126)
        needed += 2;
    if (lengthCode == 127)
        needed += 8;
    if ((header_[1] & 0x80) != 0)
        needed += 4;
    return needed;
}

// Everything that can be refused from the first two bytes is refused here, before the rest
// of the header or any payload is read.
bool FrameDecoder::checkFirstTwoBytes(std::vector<DecodedEvent>& events) {
    fin_ = (header_[0] & 0x80) != 0;
    const unsigned rsv = header_[0] & 0x70;
    const unsigned op = header_[0] & 0x0F;
    masked_ = (header_[1] & 0x80) != 0;
    const unsigned lengthCode = header_[1] & 0x7F;

    if (rsv != 0) {
        fail(closecode::protocolError, "reserved bits set without a negotiated extension", events);
        return false;
    }
    switch (op) {
        case 0x0:
        case 0x1:
        case 0x2:
        case 0x8:
        case 0x9:
        case 0xA:
            break;
        default:
            fail(closecode::protocolError, "unknown opcode " + std::to_string(op), events);
            return false;
    }
    opcode_ = static_cast<Opcode>(op);
    if (requireMask_ && !masked_) {
        fail(closecode::protocolError, "client frame is not masked", events);
        return false;
    }
    if (isControl(opcode_)) {
        if (!fin_) {
            fail(closecode::protocolError, "fragmented control frame", events);
            return false;
        }
        if (lengthCode > kMaxControlPayload) {
            fail(closecode::protocolError, "control frame payload over 125 bytes", events);
            return false;
        }
        return true;
    }
    if (opcode_ == Opcode::binary) {
        fail(closecode::unsupportedData, "binary frames are not accepted", events);
        return false;
    }
    if (opcode_ == Opcode::text && inMessage_) {
        fail(closecode::protocolError, "new text frame inside a fragmented message", events);
        return false;
    }
    if (opcode_ == Opcode::continuation && !inMessage_) {
        fail(closecode::protocolError, "continuation frame without a message to continue", events);
        return false;
    }
    return true;
}

// The header is complete: decide on the length before a byte of payload is buffered.
bool FrameDecoder::startPayload(std::vector<DecodedEvent>& events) {
    const unsigned lengthCode = header_[1] & 0x7F;
    std::size_t pos = 2;
    std::uint64_t length = lengthCode;
    if (lengthCode == 126) {
        length = (std::uint64_t{header_[2]} << 8) | header_[3];
        pos = 4;
    } else if (lengthCode == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | header_[2 + i];
        pos = 10;
        if ((length >> 63) != 0) {
            fail(closecode::protocolError, "64-bit payload length with the top bit set", events);
            return false;
        }
    }
    if (masked_)
        std::copy_n(header_ + pos, 4, mask_.begin());

    if (!isControl(opcode_)) {
        const std::uint64_t soFar = inMessage_ ? message_.size() : 0;
        if (length > maxMessageBytes_ || soFar + length > maxMessageBytes_) {
            fail(closecode::messageTooBig,
                 "message of at least " + std::to_string(soFar + length) +
                     " bytes exceeds the limit of " + std::to_string(maxMessageBytes_),
                 events);
            return false;
        }
        if (opcode_ == Opcode::text) {
            inMessage_ = true;
            message_.clear();
            utf8_.reset();
        }
        message_.reserve(static_cast<std::size_t>(soFar + length));
    } else {
        control_.clear();
    }

    payloadRemaining_ = length;
    payloadOffset_ = 0;
    headerHave_ = 0;
    state_ = State::payload;
    if (payloadRemaining_ == 0)
        completeFrame(events);
    return state_ != State::stopped;
}

std::size_t FrameDecoder::consumePayload(std::string_view bytes,
                                         std::vector<DecodedEvent>& events) {
    const auto take =
        static_cast<std::size_t>(std::min<std::uint64_t>(payloadRemaining_, bytes.size()));
    std::string& target = isControl(opcode_) ? control_ : message_;
    const std::size_t start = target.size();
    target.append(bytes.data(), take);
    if (masked_)
        applyMask(target.data() + start, take, mask_, payloadOffset_);
    payloadOffset_ += take;
    payloadRemaining_ -= take;

    // Validate text as it arrives so a bad message is refused without waiting for its end.
    if (!isControl(opcode_) && !utf8_.feed(std::string_view(target).substr(start, take))) {
        fail(closecode::invalidPayload, "text message is not valid UTF-8", events);
        return take;
    }
    if (payloadRemaining_ == 0)
        completeFrame(events);
    return take;
}

void FrameDecoder::completeFrame(std::vector<DecodedEvent>& events) {
    ++framesCompleted_;
    state_ = State::header;
    switch (opcode_) {
        case Opcode::ping:
            events.push_back({DecodedEvent::Kind::ping, std::move(control_), 0});
            control_.clear();
            return;
        case Opcode::pong:
            events.push_back({DecodedEvent::Kind::pong, std::move(control_), 0});
            control_.clear();
            return;
        case Opcode::close:
            completeClose(events);
            return;
        default:
            break;
    }
    if (!fin_)
        return;  // more continuation frames to come
    if (!utf8_.complete()) {
        fail(closecode::invalidPayload, "text message ends inside a UTF-8 sequence", events);
        return;
    }
    events.push_back({DecodedEvent::Kind::text, std::move(message_), 0});
    message_ = std::string();  // release the buffer: idle connections should cost little
    inMessage_ = false;
}

void FrameDecoder::completeClose(std::vector<DecodedEvent>& events) {
    if (control_.empty()) {
        events.push_back({DecodedEvent::Kind::close, {}, closecode::noStatus});
        state_ = State::stopped;
        return;
    }
    if (control_.size() == 1) {
        fail(closecode::protocolError, "close frame with a 1-byte payload", events);
        return;
    }
    const auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(control_[0]) << 8) |
                                                 static_cast<unsigned char>(control_[1]));
    if (!isSendableCloseCode(code)) {
        fail(closecode::protocolError, "invalid close code " + std::to_string(code), events);
        return;
    }
    std::string reason = control_.substr(2);
    if (!isValidUtf8(reason)) {
        fail(closecode::invalidPayload, "close reason is not valid UTF-8", events);
        return;
    }
    events.push_back({DecodedEvent::Kind::close, std::move(reason), code});
    state_ = State::stopped;
}

void FrameDecoder::fail(std::uint16_t code, std::string what, std::vector<DecodedEvent>& events) {
    events.push_back({DecodedEvent::Kind::protocolError, std::move(what), code});
    state_ = State::stopped;
    message_ = std::string();
    control_ = std::string();
}

}  // namespace fp::websocket
