// An epoll event loop serving upgraded WebSocket connections: thousands of mostly idle
// sockets on one thread. Other threads talk to it only through post()/scheduleFlush(),
// which wake it with an eventfd.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "connection.hpp"
#include "connection_registry.hpp"
#include "firepoker/sdk/logger.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::websocket {

// What every loop of one transport shares; owned by the transport, outlives the loops.
struct LoopServices {
    sdk::TransportHost* host = nullptr;
    ConnectionRegistry* registry = nullptr;
    sdk::Logger* logger = nullptr;
};

class EventLoop {
  public:
    // Throws std::system_error when epoll or eventfd cannot be created.
    EventLoop(std::string name, LoopServices services);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void start();
    // Stops the thread. Connections still open are closed (1001) and reported to the host.
    void stop();

    // Any thread: takes over an upgraded connection. On the loop thread it is registered,
    // the host is told (onConnectionOpened), then `initialBytes` (read by the HTTP server
    // past the handshake) are decoded. Dropped, with its socket closed, if the loop stops.
    void adopt(std::shared_ptr<Connection> connection, std::string initialBytes);
    // Any thread: the connection has something to write or a close to carry out.
    void scheduleFlush(sdk::ConnectionId id);
    // Runs `task` on the loop thread and waits for it; inline when called on that thread.
    void runAndWait(const std::function<void()>& task);
    // Loop thread: closes every connection now, reporting `code` unless one is known.
    void abortAll(std::uint16_t code);

    // While this loop's thread hands messages to the host, what the host sends to this loop's
    // connections is queued and written when the host returns, each connection's messages
    // with one writev: the answer to a command and the state it caused go out together (one
    // system call instead of two for the sender). Null on other threads and at other times.
    static EventLoop* batchingOnThisThread();
    // Queues `message` on the connection and has it written at the end of the current batch.
    void addToBatch(const std::shared_ptr<Connection>& connection,
                    const sdk::SharedOutbound& message);

  private:
    void run();
    void post(std::function<void()> task);
    void wake();
    void runPendingWork();
    void onSocketEvent(sdk::ConnectionId id, std::uint32_t events);
    void onTick(Clock::time_point now);
    void afterActivity(const std::shared_ptr<Connection>& connection, Clock::time_point now);
    void setWriteInterest(Connection& connection, bool wanted);
    void finalize(const std::shared_ptr<Connection>& connection);
    void deliver(sdk::ConnectionId id, std::vector<std::string>& messages);
    void shutDownConnections();

    const std::string name_;
    const LoopServices services_;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    std::thread thread_;
    std::thread::id loopThreadId_;

    std::mutex mutex_;  // guards the fields up to connections_
    std::vector<std::function<void()>> tasks_;
    std::vector<sdk::ConnectionId> flushRequests_;
    bool wakePending_ = false;
    bool stopRequested_ = false;
    bool running_ = false;

    // Loop thread only.
    std::unordered_map<sdk::ConnectionId, std::shared_ptr<Connection>> connections_;
    std::unordered_set<sdk::ConnectionId> closing_;  // visited every tick until finalized
    // Pings and idle timeouts are checked this often (at most 1 s, less for short timers).
    Clock::duration timerScanInterval_ = std::chrono::seconds(1);
    Clock::time_point nextTimerScan_{};
    std::vector<char> readBuffer_;
    bool shuttingDown_ = false;
    std::vector<std::shared_ptr<Connection>> batch_;  // connections written to in this batch
};

}  // namespace fp::websocket
