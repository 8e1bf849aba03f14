// One upgraded WebSocket connection on a non-blocking socket, owned by one EventLoop.
//
// Threading: reading, decoding, timers and writing run on the loop thread only. enqueue(),
// requestClose() and queuedBytes() may be called from any thread; they touch only the
// outbox and the close request, under outboxMutex_. The host is never called from here:
// the loop does that, with no lock held.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "address_slots.hpp"
#include "firepoker/sdk/transport.hpp"
#include "frame_decoder.hpp"

namespace fp::websocket {

using Clock = std::chrono::steady_clock;

struct ConnectionLimits {
    std::size_t maxMessageBytes = 16384;
    std::size_t maxQueuedBytes = 1048576;
    Clock::duration pingInterval = std::chrono::seconds(30);
    Clock::duration idleTimeout = std::chrono::seconds(75);
    // How long a close may take (flushing the queue, then waiting for the peer's CLOSE)
    // before the socket is closed anyway.
    Clock::duration closeTimeout = std::chrono::seconds(3);
    // After a protocol error the peer's CLOSE cannot be parsed any more (the byte stream may
    // be mid-frame), so we only linger this long for its EOF, discarding input, before
    // closing. Closing at once could reset the connection and lose our CLOSE frame.
    Clock::duration failedCloseLinger = std::chrono::seconds(1);
};

class Connection {
  public:
    Connection(sdk::ConnectionId id, int fd, sdk::ConnectionInfo info,
               const ConnectionLimits& limits, Clock::time_point now);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sdk::ConnectionId id() const { return id_; }
    int fd() const { return fd_; }
    const sdk::ConnectionInfo& info() const { return info_; }

    // ---- any thread ----
    enum class EnqueueResult { queued, droppedClosing, overflowed };
    // Queues a prepared message. A connection whose queue would exceed maxQueuedBytes is
    // marked overflowed (the loop closes it with 1008); a message alone in an empty queue is
    // always taken, so one large state still reaches a client that keeps up.
    EnqueueResult enqueue(const sdk::SharedOutbound& message);
    // Writes a message straight to the socket from the calling thread when nothing is queued
    // before it (the common case: a state to a client that keeps up), sparing the loop a
    // wake-up and a pass. `partial`: the rest is queued and the loop must flush it;
    // `notWritten`: nothing happened, enqueue() it as usual.
    enum class DirectWrite { written, partial, notWritten };
    DirectWrite writeNow(const sdk::SharedOutbound& message);
    // Queues CLOSE(code, reason) behind everything already queued; later messages are
    // dropped. The socket is closed at `deadline` at the latest. Returns true if this call
    // started the close (an earlier close keeps its code but takes the earlier deadline).
    bool requestClose(std::uint16_t code, std::string_view reason, Clock::time_point deadline);
    std::size_t queuedBytes() const;
    // True if the caller must ask the loop to flush (the first request since the last flush).
    bool markFlushScheduled() { return !flushScheduled_.exchange(true); }
    void clearFlushScheduled() { flushScheduled_.store(false); }

    // ---- loop thread ----
    // Reads what the socket has (a bounded amount per call, so one busy client cannot starve
    // the others) and decodes it. Complete text messages are appended to `messages`.
    void onReadable(char* buffer, std::size_t bufferSize, std::vector<std::string>& messages,
                    Clock::time_point now);
    // Bytes that arrived with the upgrade request, before the socket was handed over.
    void consume(std::string_view bytes, std::vector<std::string>& messages, Clock::time_point now);
    // Writes as much of the queue as the socket takes. Returns true while bytes remain.
    bool flush();
    // Pings and the idle timeout.
    void onTimer(Clock::time_point now);
    bool overflowed() const;
    // When onTimer() next has something to do (a ping, the idle timeout), unless a close is
    // under way; the loop's tick skips the connection until then.
    Clock::time_point nextTimerAt() const {
        return std::min(lastFrameAt_ + limits_.idleTimeout, lastPingAt_ + limits_.pingInterval);
    }
    // A close is under way (ours or the peer's): its deadlines need the loop's every tick.
    bool closing() const;
    // How late onTimer() may run without it mattering: an eighth of the shortest timer.
    Clock::duration timerSlack() const {
        return std::min(limits_.pingInterval, limits_.idleTimeout) / 8;
    }
    // Gives up now: best-effort CLOSE(code) if no frame is half written, queue dropped.
    void abort(std::uint16_t code);
    // True when the socket should be closed now.
    bool finished(Clock::time_point now) const;
    // The code reported to the host: the one we sent, else the peer's, else 1006.
    std::uint16_t closeCode() const;
    // Closes the socket and gives back the client address's connection slot.
    void closeSocket();
    // Before the connection is handed to its loop: the slot it holds until closeSocket().
    void holdAddressSlot(AddressSlot slot) { addressSlot_ = std::move(slot); }

    bool watchingWritable = false;  // EPOLLOUT registered; maintained by the loop
    bool inBatch = false;           // in its loop's current batch; maintained by the loop
    bool finalized = false;         // the host has been told; maintained by the loop

  private:
    struct OutboxEntry {
        sdk::SharedOutbound message;
        bool isClose = false;
    };

    EnqueueResult enqueueLocked(sdk::SharedOutbound message, bool isClose);
    bool closingLocked() const { return closeQueued_ || overflowed_; }
    void queueControlFrame(std::string encoded);
    void startCloseLocked(std::uint16_t sendCode, std::string_view reason,
                          Clock::time_point deadline, bool withCode);

    const sdk::ConnectionId id_;
    int fd_;
    const sdk::ConnectionInfo info_;
    const ConnectionLimits limits_;
    std::atomic<bool> flushScheduled_{false};

    // Shared with other threads.
    mutable std::mutex outboxMutex_;
    std::deque<OutboxEntry> outbox_;
    std::size_t headOffset_ = 0;  // bytes of outbox_.front() already written
    std::size_t queuedBytes_ = 0;
    bool closeQueued_ = false;
    bool closeFrameWritten_ = false;
    bool overflowed_ = false;
    Clock::time_point closeDeadline_{};
    std::uint16_t hostCode_ = 0;  // 0 until the outcome is known

    // Loop thread only.
    FrameDecoder decoder_;
    std::vector<DecodedEvent> events_;
    std::uint64_t framesSeen_ = 0;
    Clock::time_point lastFrameAt_;
    Clock::time_point lastPingAt_;
    bool peerClosed_ = false;
    bool socketDead_ = false;
    AddressSlot addressSlot_;
};

}  // namespace fp::websocket
