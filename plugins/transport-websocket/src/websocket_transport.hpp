// The transport-websocket plugin: POCO's HTTPServer for HTTP and the upgrade handshake,
// then the upgraded sockets on our own epoll loops with our own frame codec.
//
// Threading model:
//  - One pre-accept thread (PreAcceptStage) accepts every TCP connection and waits, on epoll,
//    for its request head to arrive complete; only then does the connection go to POCO (POCO's
//    own HTTPServerConnectionFactory run by HttpWorkerPool: what HTTPServer does, minus its
//    blocking accept loop). Clients that connect and stay silent, or send their head
//    byte by byte, cost a descriptor, never a thread.
//  - HTTP requests and handshakes run on a small POCO thread pool (maxHttpThreads), reading a
//    head that is already in memory. After the 101 the socket is detached from POCO and handed
//    to an event loop; the HTTP thread returns at once. Connection count is never bounded by
//    threads.
//  - ioThreads (1 or 2) epoll loops own the connections: reads, decoding, writes, pings,
//    idle and close timers. All host callbacks for a connection come from its loop thread,
//    with no lock held.
//  - prepare/send/close/closeAll/stats are callable from any thread: send() appends to the
//    connection's bounded queue under a per-connection mutex and wakes the loop (eventfd).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "admission_control.hpp"
#include "connection_registry.hpp"
#include "event_loop.hpp"
#include "firepoker/sdk/plugin.hpp"
#include "firepoker/sdk/transport.hpp"
#include "http_router.hpp"
#include "http_services.hpp"
#include "http_worker_pool.hpp"
#include "pre_accept_stage.hpp"
#include "transport_options.hpp"

namespace fp::websocket {

class WebSocketTransport final : public sdk::Transport {
  public:
    // Throws std::invalid_argument for out-of-range options.
    explicit WebSocketTransport(const sdk::PluginContext& context);
    // What the manifest cannot check (trustedProxies must be CIDR blocks or addresses): run by
    // the server and --check-config before anything is made (FIREPOKER_PLUGIN exports it).
    static std::vector<std::string> checkOptions(const sdk::PluginOptions& options);
    ~WebSocketTransport() override;

    sdk::Status start() override;
    void stop() override;
    sdk::Readiness readiness() const override;

    void setHost(sdk::TransportHost* host) override;
    void setListenAddress(const std::string& hostPort) override;
    void setWebRoot(const std::string& path) override;
    std::string boundAddress() const override;

    sdk::SharedOutbound prepare(std::string payload) const override;
    void send(sdk::ConnectionId id, const sdk::SharedOutbound& message) override;
    void close(sdk::ConnectionId id, std::uint16_t code, const std::string& reason) override;
    void stopAccepting() override;
    void closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) override;
    sdk::TransportStats stats() const override;

    const TransportOptions& options() const { return options_; }
    // Connections accepted that have not sent their complete request head yet (for tests and
    // diagnostics).
    std::size_t pendingHandshakes() const;
    // WebSocket connections the client address (its accounting key) holds, for tests.
    std::size_t connectionsFrom(const std::string& addressKey) const;

  private:
    void adoptSocket(int fd, sdk::ConnectionInfo info, std::string initialBytes, AddressSlot slot);
    bool handToHttpServer(int fd);
    void stopHttpServer();
    void releaseEverything();

    const TransportOptions options_;
    const ConnectionLimits limits_;
    const std::shared_ptr<sdk::Logger> logger_;
    // Connections per client address; used by the pre-accept stage and the upgrade handler.
    AdmissionControl admission_;
    sdk::TransportHost* host_ = nullptr;
    std::string listenAddress_ = "0.0.0.0:8080";
    std::string webRoot_;

    std::mutex lifecycleMutex_;  // start/stop/stopAccepting against each other
    std::atomic<bool> accepting_{false};
    bool started_ = false;
    bool stopped_ = false;
    std::string boundAddress_;
    std::atomic<sdk::ConnectionId> nextConnectionId_{1};

    ConnectionRegistry registry_;
    std::vector<std::unique_ptr<EventLoop>> loops_;
    HttpRouter* router_ = nullptr;  // owned by the connection factory httpWorkers_ holds
    std::unique_ptr<HttpWorkerPool> httpWorkers_;
    std::unique_ptr<PreAcceptStage> preAccept_;  // hands connections to httpWorkers_
};

}  // namespace fp::websocket
