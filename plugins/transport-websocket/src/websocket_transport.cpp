#include "websocket_transport.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnectionFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <utility>

#include "frame_codec.hpp"
#include "http_router.hpp"

namespace fp::websocket {
namespace {

class NullLogger final : public sdk::Logger {
  public:
    void log(sdk::LogLevel, std::string_view) override {}
};

ConnectionLimits limitsFrom(const TransportOptions& options) {
    ConnectionLimits limits;
    limits.maxMessageBytes = options.maxMessageBytes;
    limits.maxQueuedBytes = options.maxQueuedBytes;
    limits.pingInterval = std::chrono::seconds(options.pingIntervalSeconds);
    limits.idleTimeout = std::chrono::seconds(options.idleTimeoutSeconds);
    return limits;
}

constexpr int kMinQueuedConnections = 2048;
// Request heads larger than this are answered 431 before they reach POCO.
constexpr std::size_t kMaxRequestHeadBytes = 8192;

}  // namespace

std::vector<std::string> WebSocketTransport::checkOptions(const sdk::PluginOptions& options) {
    try {
        (void)readTransportOptions(options);
    } catch (const std::invalid_argument& e) {
        return {e.what()};
    }
    return {};
}

WebSocketTransport::WebSocketTransport(const sdk::PluginContext& context)
    : options_(readTransportOptions(context.options)),
      limits_(limitsFrom(options_)),
      logger_(context.logger ? context.logger : std::make_shared<NullLogger>()),
      admission_(static_cast<std::size_t>(options_.maxConnectionsPerAddress),
                 TrustedProxies::parse(options_.trustedProxies)) {}

WebSocketTransport::~WebSocketTransport() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; stop() already logs what it can.
    }
}

void WebSocketTransport::setHost(sdk::TransportHost* host) {
    host_ = host;
}
void WebSocketTransport::setListenAddress(const std::string& hostPort) {
    listenAddress_ = hostPort;
}
void WebSocketTransport::setWebRoot(const std::string& path) {
    webRoot_ = path;
}

std::string WebSocketTransport::boundAddress() const {
    return boundAddress_;
}

sdk::Status WebSocketTransport::start() {
    std::lock_guard<std::mutex> lock(lifecycleMutex_);
    if (started_ || stopped_) {
        return sdk::Status::failure(sdk::StatusCode::invalid,
                                    "transport-websocket: start() may be called once");
    }
    if (host_ == nullptr) {
        return sdk::Status::failure(sdk::StatusCode::invalid,
                                    "transport-websocket: start() called before setHost()");
    }
    try {
        const Poco::Net::SocketAddress address(listenAddress_);
        Poco::Net::ServerSocket listenSocket;
        // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (POCO's two-argument bind
        // sets both): a second server on the same port must fail, not share the traffic.
        listenSocket.bind(address, true, false);
        listenSocket.listen(options_.backlog);
        const std::string bound = listenSocket.address().toString();

        for (int i = 0; i < options_.ioThreads; ++i) {
            loops_.push_back(
                std::make_unique<EventLoop>("websocket loop " + std::to_string(i),
                                            LoopServices{host_, &registry_, logger_.get()}));
            loops_.back()->start();
        }

        auto services = std::make_shared<HttpServices>();
        services->host = host_;
        services->logger = logger_;
        services->webRoot = webRoot_;
        services->requestTimeout = std::chrono::seconds(options_.handshakeTimeoutSeconds);
        services->accepting = &accepting_;
        services->admission = &admission_;
        services->adoptSocket = [this](int fd, sdk::ConnectionInfo info, std::string bytes,
                                       AddressSlot slot) {
            adoptSocket(fd, std::move(info), std::move(bytes), std::move(slot));
        };

        Poco::Net::HTTPServerParams::Ptr httpParams = new Poco::Net::HTTPServerParams;
        httpParams->setTimeout(Poco::Timespan(options_.handshakeTimeoutSeconds, 0));
        // No keep-alive. A kept-alive connection holds its pool thread while POCO waits for the
        // next request, which is the very problem the pre-accept stage removes; a short timeout
        // would only shrink it. Our plain HTTP is a handful of small, cacheable static files
        // (ETag, max-age) and rare core routes, so a fresh connection per request costs little,
        // and each one passes through the pre-accept stage again. Upgrades are unaffected: after
        // the 101 the socket belongs to an event loop.
        httpParams->setKeepAlive(false);
        httpParams->setSoftwareVersion("FirePoker");

        // What Poco::Net::HTTPServer builds, minus its TCPServer and blocking accept loop:
        // connections are queued by the pre-accept stage instead.
        router_ = new HttpRouter(services);
        const Poco::Net::HTTPRequestHandlerFactory::Ptr router(router_);
        httpWorkers_ = std::make_unique<HttpWorkerPool>(
            new Poco::Net::HTTPServerConnectionFactory(httpParams, router),
            static_cast<std::size_t>(options_.maxHttpThreads),
            // Every queued connection has its request head in memory already, so the queue
            // drains at handler speed; it may hold a whole burst of handshakes (beyond: 503).
            static_cast<std::size_t>(
                std::max(kMinQueuedConnections, options_.maxPendingHandshakes)));

        PreAcceptLimits limits;
        limits.handshakeTimeout = std::chrono::seconds(options_.handshakeTimeoutSeconds);
        limits.maxPending = static_cast<std::size_t>(options_.maxPendingHandshakes);
        limits.maxHeadBytes = kMaxRequestHeadBytes;
        preAccept_ = std::make_unique<PreAcceptStage>(
            std::move(listenSocket), limits, [this](int fd) { return handToHttpServer(fd); },
            *logger_, &admission_);
        accepting_ = true;
        preAccept_->start();
        boundAddress_ = bound;
    } catch (const Poco::Exception& e) {
        accepting_ = false;
        releaseEverything();
        return sdk::Status::failure(
            sdk::StatusCode::unavailable,
            "transport-websocket: cannot listen on " + listenAddress_ + ": " + e.displayText());
    } catch (const std::exception& e) {
        accepting_ = false;
        releaseEverything();
        return sdk::Status::failure(
            sdk::StatusCode::internal,
            "transport-websocket: cannot start on " + listenAddress_ + ": " + e.what());
    }
    started_ = true;
    logger_->info("listening on " + boundAddress_ + " (WebSocket on " + kWebSocketPath + ", " +
                  std::to_string(options_.ioThreads) + " event loop(s), " +
                  std::to_string(options_.maxHttpThreads) +
                  " HTTP threads, request heads due within " +
                  std::to_string(options_.handshakeTimeoutSeconds) + " s, " +
                  (options_.maxConnectionsPerAddress == 0
                       ? std::string("no limit of connections per address")
                       : "at most " + std::to_string(options_.maxConnectionsPerAddress) +
                             " connections per client address") +
                  (options_.trustedProxies.empty()
                       ? std::string(", X-Forwarded-For ignored")
                       : ", X-Forwarded-For believed from " + options_.trustedProxies) +
                  ")");
    return sdk::Status::success();
}

bool WebSocketTransport::handToHttpServer(int fd) {
    // Only this (the stage's) thread queues, so a queue with room now still has room below.
    if (httpWorkers_->full())
        return false;  // the stage answers 503
    // Owns fd from here on. The socket is blocking; the timeouts bound every read and write.
    Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fd));
    try {
        const Poco::Timespan timeout(options_.handshakeTimeoutSeconds, 0);
        socket.setReceiveTimeout(timeout);
        socket.setSendTimeout(timeout);
        httpWorkers_->enqueue(socket);  // false only when stopping: the socket just closes
    } catch (const Poco::Exception& e) {
        logger_->debug("cannot hand a connection to the HTTP server: " + e.displayText());
    }
    return true;
}

std::size_t WebSocketTransport::pendingHandshakes() const {
    return preAccept_ ? preAccept_->pending() : 0;
}

std::size_t WebSocketTransport::connectionsFrom(const std::string& addressKey) const {
    return admission_.slots().count(addressKey);
}

void WebSocketTransport::adoptSocket(int fd, sdk::ConnectionInfo info, std::string initialBytes,
                                     AddressSlot slot) {
    if (loops_.empty()) {
        ::close(fd);
        return;
    }
    const sdk::ConnectionId id = nextConnectionId_.fetch_add(1);
    auto connection = std::make_shared<Connection>(id, fd, std::move(info), limits_, Clock::now());
    connection->holdAddressSlot(std::move(slot));
    loops_[id % loops_.size()]->adopt(std::move(connection), std::move(initialBytes));
}

sdk::SharedOutbound WebSocketTransport::prepare(std::string payload) const {
    auto message = std::make_shared<sdk::OutboundMessage>();
    message->encoded = encodeFrame(Opcode::text, payload);
    message->payload = std::move(payload);
    return message;
}

void WebSocketTransport::send(sdk::ConnectionId id, const sdk::SharedOutbound& message) {
    if (!message)
        return;
    if (message->encoded.empty()) {  // not made by prepare(): encode it here
        send(id, prepare(message->payload));
        return;
    }
    const auto entry = registry_.find(id);
    if (!entry)
        return;  // already closed: the host learns that from onConnectionClosed
    if (EventLoop::batchingOnThisThread() == entry->loop) {
        entry->loop->addToBatch(entry->connection, message);
        return;
    }
    const auto direct = entry->connection->writeNow(message);
    if (direct == Connection::DirectWrite::written)
        return;
    if (direct == Connection::DirectWrite::partial) {
        if (entry->connection->markFlushScheduled())
            entry->loop->scheduleFlush(id);
        return;
    }
    const auto result = entry->connection->enqueue(message);
    if (result != Connection::EnqueueResult::droppedClosing &&
        entry->connection->markFlushScheduled()) {
        entry->loop->scheduleFlush(id);
    }
}

void WebSocketTransport::close(sdk::ConnectionId id, std::uint16_t code,
                               const std::string& reason) {
    const auto entry = registry_.find(id);
    if (!entry)
        return;
    entry->connection->requestClose(code, reason, Clock::now() + limits_.closeTimeout);
    if (entry->connection->markFlushScheduled())
        entry->loop->scheduleFlush(id);
}

void WebSocketTransport::stopAccepting() {
    std::lock_guard<std::mutex> lock(lifecycleMutex_);
    if (!accepting_.exchange(false))
        return;
    // The listening socket is closed when this returns (new connects are refused at once), and
    // so are the connections still waiting for their request head. Requests already with POCO
    // finish (the router answers 503 to those not routed yet); without keep-alive no HTTP
    // connection waits for another request.
    if (preAccept_)
        preAccept_->stop();
    logger_->info("no longer accepting connections on " + boundAddress_);
}

void WebSocketTransport::closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0, timeoutMs));
    const auto open = registry_.snapshot();
    for (const auto& entry : open) {
        entry.connection->requestClose(code, reason, deadline);
        if (entry.connection->markFlushScheduled())
            entry.loop->scheduleFlush(entry.connection->id());
    }
    if (!registry_.waitUntilEmpty(deadline)) {
        logger_->warn("closeAll: " + std::to_string(registry_.size()) +
                      " connection(s) did not finish closing within " + std::to_string(timeoutMs) +
                      " ms; closing them now");
    }
    for (const auto& loop : loops_) {
        EventLoop* target = loop.get();
        target->runAndWait([target, code] { target->abortAll(code); });
    }
}

sdk::TransportStats WebSocketTransport::stats() const {
    sdk::TransportStats stats;
    const auto open = registry_.snapshot();
    stats.openConnections = open.size();
    for (const auto& entry : open)
        stats.bytesQueued += entry.connection->queuedBytes();
    return stats;
}

sdk::Readiness WebSocketTransport::readiness() const {
    if (accepting_)
        return {};
    return {false, "transport-websocket is not accepting connections"};
}

void WebSocketTransport::stop() {
    {
        std::lock_guard<std::mutex> lock(lifecycleMutex_);
        if (stopped_)
            return;
        stopped_ = true;
    }
    accepting_ = false;
    // No new connection first; then no HTTP handler (an upgrade in progress may still hand a
    // socket to a loop, which is why loops stop last).
    if (preAccept_)
        preAccept_->stop();
    stopHttpServer();
    for (auto& loop : loops_)
        loop->stop();  // open connections: 1001, host told
    // The stopped loops, stage and workers stay until destruction (they hold no thread and no
    // descriptor any more): a send() or stopAccepting() racing with stop() may still use them.
    if (started_)
        logger_->info("stopped");
}

void WebSocketTransport::stopHttpServer() {
    if (!httpWorkers_)
        return;
    // Queued connections are closed; requests being served have their sockets shut down (as
    // HTTPServer::stopAll(true) does), so the threads end at once.
    httpWorkers_->stop([this] {
        if (router_)
            router_->abortOpenConnections();
    });
}

void WebSocketTransport::releaseEverything() {
    preAccept_.reset();
    stopHttpServer();
    httpWorkers_.reset();
    router_ = nullptr;
    loops_.clear();
}

}  // namespace fp::websocket
