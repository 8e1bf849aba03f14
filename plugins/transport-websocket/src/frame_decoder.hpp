// A non-blocking RFC 6455 decoder for the client-to-server direction. It is fed whatever
// bytes a read returned, however few, and never waits for more: partial headers and
// payloads are kept and completed by later calls. It buffers at most one message
// (maxMessageBytes) plus one control frame (125 bytes) and a header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "frame_codec.hpp"
#include "utf8_validator.hpp"

namespace fp::websocket {

struct DecodedEvent {
    enum class Kind {
        text,           // payload: one complete message, reassembled and valid UTF-8
        ping,           // payload: the ping's application data (to be echoed in a PONG)
        pong,           // payload: the pong's data
        close,          // code: the peer's close code (1005 when it sent none); payload: reason
        protocolError,  // code: the close code to answer with; payload: what was wrong
    };
    Kind kind;
    std::string payload;
    std::uint16_t code = 0;
};

class FrameDecoder {
  public:
    // requireMask: servers must refuse unmasked client frames (RFC 6455 5.1).
    explicit FrameDecoder(std::size_t maxMessageBytes, bool requireMask = true);

    // Consumes all of `bytes` and appends the events it completes, in wire order. After a
    // close or a protocolError event the decoder stops and ignores further input.
    void feed(std::string_view bytes, std::vector<DecodedEvent>& events);

    bool stopped() const { return state_ == State::stopped; }
    // Complete frames of any kind seen so far; the connection's idle timer uses it.
    std::uint64_t framesCompleted() const { return framesCompleted_; }

  private:
    enum class State { header, payload, stopped };

    std::size_t headerBytesNeeded() const;
    bool checkFirstTwoBytes(std::vector<DecodedEvent>& events);
    bool startPayload(std::vector<DecodedEvent>& events);
    std::size_t consumePayload(std::string_view bytes, std::vector<DecodedEvent>& events);
    void completeFrame(std::vector<DecodedEvent>& events);
    void completeClose(std::vector<DecodedEvent>& events);
    void fail(std::uint16_t code, std::string what, std::vector<DecodedEvent>& events);

    const std::size_t maxMessageBytes_;
    const bool requireMask_;
    State state_ = State::header;

    // The frame being read.
    unsigned char header_[kMaxFrameHeader] = {};
    std::size_t headerHave_ = 0;
    bool fin_ = false;
    Opcode opcode_ = Opcode::continuation;
    bool masked_ = false;
    MaskKey mask_ = {};
    std::uint64_t payloadRemaining_ = 0;
    std::size_t payloadOffset_ = 0;  // bytes of this frame's payload already read (mask phase)
    std::string control_;            // payload of the control frame being read

    // The message being reassembled from a text frame and its continuations.
    bool inMessage_ = false;
    std::string message_;
    Utf8Validator utf8_;

    std::uint64_t framesCompleted_ = 0;
};

}  // namespace fp::websocket
