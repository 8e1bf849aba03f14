// The pre-accept stage: accepts TCP connections on one epoll thread and hands a connection to
// the HTTP server only once its whole request head is in the kernel's receive buffer.
//
// Why: POCO's HTTP server reads the request head on a pool thread with a blocking socket, so a
// client that connects and sends nothing (or one byte at a time) holds a thread for the whole
// read timeout, and a few dozen such clients stop everyone else from connecting. Here a new
// connection costs a descriptor and a few bytes until its head is complete:
//  - The stage peeks (MSG_PEEK: nothing is consumed) at most maxHeadBytes; once the blank line
//    ending the head is there, the socket leaves the stage and goes to `handOff`, which gives it
//    to POCO; POCO then reads the head from memory without waiting.
//  - A head not complete within handshakeTimeout is closed; a head larger than maxHeadBytes is
//    answered 431; a peer that closes first is just closed. No thread was ever used for them.
//  - At most maxPending connections wait here; a new one beyond that closes the oldest, so that a
//    flood of idle connections cannot lock out clients that talk.
//  - With an AdmissionControl, a complete WebSocket upgrade request from a client address that
//    already holds its maximum of connections is answered 429 here, on the stage thread: it never
//    queues for an HTTP thread (see admission_control.hpp). And one peer address (not a trusted
//    proxy) may have at most maxConnectionsPerAddress connections waiting here; one more is
//    closed at once, so that a single address cannot push out everyone else's waiting clients.
#pragma once

#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client_address.hpp"
#include "firepoker/sdk/logger.hpp"

namespace fp::websocket {

class AdmissionControl;

// Where the request head in `data` ends (the offset just past its blank line), or nullopt if it
// is not complete yet. Line ends are CRLF or a bare LF, as POCO accepts both; blank lines before
// the request line do not count (POCO skips them). `from` is where a previous call stopped.
std::optional<std::size_t> findRequestHeadEnd(std::string_view data, std::size_t from = 0);

struct PreAcceptLimits {
    std::chrono::milliseconds handshakeTimeout{10000};  // connect -> complete request head
    std::size_t maxPending = 4096;                      // connections waiting for their head
    std::size_t maxHeadBytes = 8192;                    // larger heads are answered 431
};

class PreAcceptStage {
  public:
    // Called on the stage thread with a connected, blocking socket whose request head is complete
    // and still unread. Returns true if it took the descriptor (it then owns it); false if the
    // HTTP server is too busy, in which case the stage answers 503 and closes it.
    using HandOff = std::function<bool(int fd)>;

    // Takes the bound, listening socket. Throws std::system_error if epoll or eventfd fails.
    // `admission` (may be null: no per-address screening) must outlive the stage.
    PreAcceptStage(Poco::Net::ServerSocket listenSocket, PreAcceptLimits limits, HandOff handOff,
                   sdk::Logger& logger, const AdmissionControl* admission = nullptr);
    ~PreAcceptStage();
    PreAcceptStage(const PreAcceptStage&) = delete;
    PreAcceptStage& operator=(const PreAcceptStage&) = delete;

    void start();
    // Any thread, idempotent, synchronous: when it returns the listening socket is closed (new
    // connects are refused at once), every waiting connection is closed and the thread is gone.
    void stop();

    // Connections accepted whose request head is not complete yet (any thread).
    std::size_t pending() const { return pendingCount_.load(); }

  private:
    struct Pending {
        std::uint64_t token;
        int fd;
        std::chrono::steady_clock::time_point deadline;
        std::size_t scanned;  // bytes already searched for the end of the head
        std::optional<IpAddress> peer;
        std::string waitingKey;  // counted in waitingByAddress_ unless empty
    };
    using PendingList = std::list<Pending>;  // oldest first: deadlines are in list order

    void run();
    void acceptReady(std::chrono::steady_clock::time_point now);
    void track(int fd, std::optional<IpAddress> peer, std::chrono::steady_clock::time_point now);
    // The head is complete: screens it, then hands it to the HTTP server or answers it.
    void release(PendingList::iterator it, std::string_view head);
    void onReadable(std::uint64_t token, std::uint32_t events);
    void expire(std::chrono::steady_clock::time_point now);
    void pauseAccepting(std::chrono::steady_clock::time_point now, int error);
    void watchListenSocket(bool wanted);
    PendingList::iterator forget(PendingList::iterator it);  // leaves the stage, fd still open
    void closePending(PendingList::iterator it);
    int waitTimeoutMs(std::chrono::steady_clock::time_point now) const;
    void closeEverything();

    Poco::Net::ServerSocket listenSocket_;
    int listenFd_ = -1;
    const PreAcceptLimits limits_;
    const HandOff handOff_;
    sdk::Logger& logger_;
    const AdmissionControl* const admission_;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    std::mutex stopMutex_;  // stop() from two threads at once (stopAccepting and stop)
    std::thread thread_;
    std::atomic<bool> stopRequested_{false};
    std::atomic<std::size_t> pendingCount_{0};
    bool closed_ = false;  // closeEverything() ran

    // Stage thread only.
    PendingList pending_;
    std::unordered_map<std::uint64_t, PendingList::iterator> byToken_;
    std::uint64_t nextToken_;
    std::vector<char> peekBuffer_;
    bool listenWatched_ = true;
    std::optional<std::chrono::steady_clock::time_point> resumeAcceptingAt_;
    std::chrono::steady_clock::time_point lastResourceWarning_{};
    std::size_t evictedSinceWarning_ = 0;
    std::chrono::steady_clock::time_point lastEvictionWarning_{};
    std::size_t refusedSinceWarning_ = 0;
    std::chrono::steady_clock::time_point lastRefusalWarning_{};
    std::unordered_map<std::string, std::size_t> waitingByAddress_;
    std::size_t closedForAddressSinceWarning_ = 0;
    std::chrono::steady_clock::time_point lastAddressWarning_{};
};

}  // namespace fp::websocket
