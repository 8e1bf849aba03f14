#include "connection.hpp"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <utility>

#include "frame_codec.hpp"

namespace fp::websocket {
namespace {

constexpr int kMaxReadsPerEvent = 4;  // then yield to other connections (level-triggered)
constexpr std::size_t kMaxIovecs = 64;

sdk::SharedOutbound makeControl(std::string encoded) {
    auto message = std::make_shared<sdk::OutboundMessage>();
    message->encoded = std::move(encoded);
    return message;
}

}  // namespace

Connection::Connection(sdk::ConnectionId id, int fd, sdk::ConnectionInfo info,
                       const ConnectionLimits& limits, Clock::time_point now)
    : id_(id),
      fd_(fd),
      info_(std::move(info)),
      limits_(limits),
      decoder_(limits.maxMessageBytes),
      lastFrameAt_(now),
      lastPingAt_(now) {}

Connection::~Connection() {
    closeSocket();
}

Connection::EnqueueResult Connection::enqueue(const sdk::SharedOutbound& message) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    return enqueueLocked(message, false);
}

Connection::DirectWrite Connection::writeNow(const sdk::SharedOutbound& message) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    // Only with an empty queue: the loop writes only queued entries and pops them after its
    // sendmsg, so an empty queue means no write of the loop's is under way and order holds.
    // The lock also keeps fd_ open (closeSocket takes it).
    if (fd_ < 0 || !outbox_.empty() || closingLocked())
        return DirectWrite::notWritten;
    const std::string& bytes = message->encoded;
    const ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (written <= 0)
        return DirectWrite::notWritten;  // EAGAIN or an error: the loop finds out
    if (static_cast<std::size_t>(written) == bytes.size())
        return DirectWrite::written;
    outbox_.push_back({message, false});
    headOffset_ = static_cast<std::size_t>(written);
    queuedBytes_ += bytes.size() - headOffset_;
    return DirectWrite::partial;
}

Connection::EnqueueResult Connection::enqueueLocked(sdk::SharedOutbound message, bool isClose) {
    if (closingLocked())
        return EnqueueResult::droppedClosing;
    const std::size_t size = message->encoded.size();
    if (!isClose && queuedBytes_ > 0 && queuedBytes_ + size > limits_.maxQueuedBytes) {
        // The client reads slower than we send: close it rather than buffer without limit.
        // 1008 (policy violation): the client broke the rule "keep up with your messages";
        // 1011 would blame the server.
        overflowed_ = true;
        if (hostCode_ == 0)
            hostCode_ = closecode::policyViolation;
        return EnqueueResult::overflowed;
    }
    outbox_.push_back({std::move(message), isClose});
    queuedBytes_ += size;
    return EnqueueResult::queued;
}

bool Connection::requestClose(std::uint16_t code, std::string_view reason,
                              Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    if (closingLocked()) {
        if (deadline < closeDeadline_)
            closeDeadline_ = deadline;
        return false;
    }
    startCloseLocked(code, reason, deadline, true);
    return true;
}

void Connection::startCloseLocked(std::uint16_t sendCode, std::string_view reason,
                                  Clock::time_point deadline, bool withCode) {
    if (withCode && !isSendableCloseCode(sendCode))
        sendCode = closecode::internalError;
    std::string frame =
        withCode ? encodeCloseFrame(sendCode, reason) : encodeFrame(Opcode::close, {});
    enqueueLocked(makeControl(std::move(frame)), true);
    closeQueued_ = true;
    closeDeadline_ = deadline;
    if (hostCode_ == 0)
        hostCode_ = sendCode;
}

std::size_t Connection::queuedBytes() const {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    return queuedBytes_;
}

bool Connection::overflowed() const {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    return overflowed_;
}

void Connection::onReadable(char* buffer, std::size_t bufferSize,
                            std::vector<std::string>& messages, Clock::time_point now) {
    for (int i = 0; i < kMaxReadsPerEvent && !socketDead_; ++i) {
        const ssize_t n = ::recv(fd_, buffer, bufferSize, 0);
        if (n > 0) {
            consume(std::string_view(buffer, static_cast<std::size_t>(n)), messages, now);
            if (static_cast<std::size_t>(n) < bufferSize)
                return;  // drained for now
            continue;
        }
        if (n == 0) {
            socketDead_ = true;  // the peer closed TCP (with or without a CLOSE frame)
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            socketDead_ = true;
        return;
    }
}

void Connection::consume(std::string_view bytes, std::vector<std::string>& messages,
                         Clock::time_point now) {
    if (decoder_.stopped())
        return;  // after CLOSE or a protocol error: discard until EOF
    events_.clear();
    decoder_.feed(bytes, events_);
    if (decoder_.framesCompleted() != framesSeen_) {
        framesSeen_ = decoder_.framesCompleted();
        lastFrameAt_ = now;
    }
    for (auto& event : events_) {
        switch (event.kind) {
            case DecodedEvent::Kind::text: {
                std::lock_guard<std::mutex> lock(outboxMutex_);
                // Once we are closing, data from the peer is no longer delivered.
                if (!closingLocked())
                    messages.push_back(std::move(event.payload));
                break;
            }
            case DecodedEvent::Kind::ping:
                queueControlFrame(encodeFrame(Opcode::pong, event.payload));
                break;
            case DecodedEvent::Kind::pong:
                break;
            case DecodedEvent::Kind::close: {
                peerClosed_ = true;
                std::lock_guard<std::mutex> lock(outboxMutex_);
                if (!closingLocked()) {
                    // Answer with the peer's code (an empty CLOSE if it sent none).
                    hostCode_ = event.code;
                    const bool withCode = event.code != closecode::noStatus;
                    startCloseLocked(event.code, {}, now + limits_.closeTimeout, withCode);
                }
                break;
            }
            case DecodedEvent::Kind::protocolError:
                requestClose(event.code, event.payload,
                             now + std::min(limits_.failedCloseLinger, limits_.closeTimeout));
                break;
        }
    }
}

void Connection::queueControlFrame(std::string encoded) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    enqueueLocked(makeControl(std::move(encoded)), false);
}

bool Connection::flush() {
    if (socketDead_ || fd_ < 0)
        return false;
    for (;;) {
        iovec iov[kMaxIovecs];
        std::size_t count = 0;
        {
            // Entries are popped only by this thread, and push_back keeps the messages
            // where they are, so the pointers stay valid after the lock is released.
            std::lock_guard<std::mutex> lock(outboxMutex_);
            if (overflowed_)
                return false;  // the loop aborts the connection
            std::size_t offset = headOffset_;
            for (const auto& entry : outbox_) {
                if (count == kMaxIovecs)
                    break;
                const std::string& bytes = entry.message->encoded;
                iov[count].iov_base = const_cast<char*>(bytes.data() + offset);
                iov[count].iov_len = bytes.size() - offset;
                offset = 0;
                ++count;
            }
        }
        if (count == 0)
            return false;
        msghdr header{};
        header.msg_iov = iov;
        header.msg_iovlen = count;
        const ssize_t written = ::sendmsg(fd_, &header, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            socketDead_ = true;  // EPIPE, ECONNRESET...: the peer is gone
            return false;
        }
        bool closeWritten = false;
        {
            std::lock_guard<std::mutex> lock(outboxMutex_);
            auto remaining = static_cast<std::size_t>(written);
            queuedBytes_ -= remaining;
            while (remaining > 0 && !outbox_.empty()) {
                const std::size_t left = outbox_.front().message->encoded.size() - headOffset_;
                if (remaining < left) {
                    headOffset_ += remaining;
                    break;
                }
                remaining -= left;
                closeWritten = closeWritten || outbox_.front().isClose;
                outbox_.pop_front();
                headOffset_ = 0;
            }
            if (closeWritten)
                closeFrameWritten_ = true;
        }
        if (closeWritten) {
            // Nothing follows a CLOSE. Half-close so the peer sees our end while we still
            // read its CLOSE; closing outright could reset the connection and lose our frame.
            ::shutdown(fd_, SHUT_WR);
            return false;
        }
    }
}

void Connection::onTimer(Clock::time_point now) {
    if (socketDead_)
        return;
    {
        std::lock_guard<std::mutex> lock(outboxMutex_);
        if (closingLocked())
            return;
    }
    if (now - lastFrameAt_ >= limits_.idleTimeout) {
        requestClose(closecode::goingAway, "idle timeout", now + limits_.closeTimeout);
        return;
    }
    if (now - lastPingAt_ >= limits_.pingInterval) {
        lastPingAt_ = now;
        queueControlFrame(encodeFrame(Opcode::ping, {}));
    }
}

void Connection::abort(std::uint16_t code) {
    bool sendClose = false;
    {
        std::lock_guard<std::mutex> lock(outboxMutex_);
        if (hostCode_ == 0)
            hostCode_ = code;
        // A CLOSE may only go out on a frame boundary, and only once.
        sendClose = headOffset_ == 0 && !closeFrameWritten_;
        outbox_.clear();
        queuedBytes_ = 0;
        headOffset_ = 0;
        closeQueued_ = true;
    }
    if (sendClose && fd_ >= 0 && !socketDead_) {
        const std::string frame = encodeCloseFrame(isSendableCloseCode(code) ? code : 1011, {});
        (void)::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    socketDead_ = true;
}

bool Connection::closing() const {
    if (socketDead_ || peerClosed_)
        return true;
    std::lock_guard<std::mutex> lock(outboxMutex_);
    return closingLocked();
}

bool Connection::finished(Clock::time_point now) const {
    if (socketDead_)
        return true;
    std::lock_guard<std::mutex> lock(outboxMutex_);
    if (closeFrameWritten_ && peerClosed_)
        return true;  // close handshake complete
    return closeQueued_ && now >= closeDeadline_;
}

std::uint16_t Connection::closeCode() const {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    return hostCode_ != 0 ? hostCode_ : closecode::abnormal;
}

void Connection::closeSocket() {
    {
        // Under the lock: writeNow() may be using the descriptor on another thread.
        std::lock_guard<std::mutex> lock(outboxMutex_);
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    addressSlot_.release();
}

}  // namespace fp::websocket
