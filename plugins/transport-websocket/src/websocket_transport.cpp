#include "websocket_transport.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
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

// Keep-alive HTTP connections hold a pool thread while idle, so they are let go quickly.
constexpr int kKeepAliveSeconds = 5;
constexpr int kMinQueuedConnections = 2048;

}  // namespace

WebSocketTransport::WebSocketTransport(const sdk::PluginContext& context)
    : options_(readTransportOptions(context.options)),
      limits_(limitsFrom(options_)),
      logger_(context.logger ? context.logger : std::make_shared<NullLogger>()) {}

WebSocketTransport::~WebSocketTransport() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; stop() already logs what it can.
    }
}

void WebSocketTransport::setHost(sdk::TransportHost* host) { host_ = host; }
void WebSocketTransport::setListenAddress(const std::string& hostPort) { listenAddress_ = hostPort; }
void WebSocketTransport::setWebRoot(const std::string& path) { webRoot_ = path; }

std::string WebSocketTransport::boundAddress() const { return boundAddress_; }

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
        listenSocket_ = std::make_unique<Poco::Net::ServerSocket>();
        // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT (POCO's two-argument bind
        // sets both): a second server on the same port must fail, not share the traffic.
        listenSocket_->bind(address, true, false);
        listenSocket_->listen(options_.backlog);

        for (int i = 0; i < options_.ioThreads; ++i) {
            loops_.push_back(std::make_unique<EventLoop>(
                "websocket loop " + std::to_string(i),
                LoopServices{host_, &registry_, logger_.get()}));
            loops_.back()->start();
        }

        auto services = std::make_shared<HttpServices>();
        services->host = host_;
        services->logger = logger_;
        services->webRoot = webRoot_;
        services->accepting = &accepting_;
        services->adoptSocket = [this](int fd, sdk::ConnectionInfo info, std::string bytes) {
            adoptSocket(fd, std::move(info), std::move(bytes));
        };

        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(options_.maxHttpThreads);
        params->setMaxQueued(std::max(kMinQueuedConnections, 2 * options_.backlog));
        params->setThreadIdleTime(Poco::Timespan(60, 0));
        params->setTimeout(Poco::Timespan(options_.handshakeTimeoutSeconds, 0));
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(
            Poco::Timespan(std::min(kKeepAliveSeconds, options_.handshakeTimeoutSeconds), 0));
        params->setMaxKeepAliveRequests(100);
        params->setSoftwareVersion("FirePoker");

        httpThreads_ =
            std::make_unique<Poco::ThreadPool>("fp-http", 2, options_.maxHttpThreads, 60);
        httpServer_ = std::make_unique<Poco::Net::HTTPServer>(new HttpRouter(services),
                                                              *httpThreads_, *listenSocket_, params);
        accepting_ = true;
        httpServer_->start();
        boundAddress_ = listenSocket_->address().toString();
    } catch (const Poco::Exception& e) {
        accepting_ = false;
        releaseEverything();
        return sdk::Status::failure(sdk::StatusCode::unavailable,
                                    "transport-websocket: cannot listen on " + listenAddress_ +
                                        ": " + e.displayText());
    } catch (const std::exception& e) {
        accepting_ = false;
        releaseEverything();
        return sdk::Status::failure(sdk::StatusCode::internal,
                                    "transport-websocket: cannot start on " + listenAddress_ +
                                        ": " + e.what());
    }
    started_ = true;
    logger_->info("listening on " + boundAddress_ + " (WebSocket on " + kWebSocketPath + ", " +
                  std::to_string(options_.ioThreads) + " event loop(s), " +
                  std::to_string(options_.maxHttpThreads) + " HTTP threads)");
    return sdk::Status::success();
}

void WebSocketTransport::adoptSocket(int fd, sdk::ConnectionInfo info, std::string initialBytes) {
    if (loops_.empty()) {
        ::close(fd);
        return;
    }
    const sdk::ConnectionId id = nextConnectionId_.fetch_add(1);
    auto connection =
        std::make_shared<Connection>(id, fd, std::move(info), limits_, Clock::now());
    loops_[id % loops_.size()]->adopt(std::move(connection), std::move(initialBytes));
}

sdk::SharedOutbound WebSocketTransport::prepare(std::string payload) const {
    auto message = std::make_shared<sdk::OutboundMessage>();
    message->encoded = encodeFrame(Opcode::text, payload);
    message->payload = std::move(payload);
    return message;
}

void WebSocketTransport::send(sdk::ConnectionId id, const sdk::SharedOutbound& message) {
    if (!message) return;
    if (message->encoded.empty()) {  // not made by prepare(): encode it here
        send(id, prepare(message->payload));
        return;
    }
    const auto entry = registry_.find(id);
    if (!entry) return;  // already closed: the host learns that from onConnectionClosed
    const auto result = entry->connection->enqueue(message);
    if (result != Connection::EnqueueResult::droppedClosing &&
        entry->connection->markFlushScheduled()) {
        entry->loop->scheduleFlush(id);
    }
}

void WebSocketTransport::close(sdk::ConnectionId id, std::uint16_t code,
                               const std::string& reason) {
    const auto entry = registry_.find(id);
    if (!entry) return;
    entry->connection->requestClose(code, reason, Clock::now() + limits_.closeTimeout);
    if (entry->connection->markFlushScheduled()) entry->loop->scheduleFlush(id);
}

void WebSocketTransport::stopAccepting() {
    std::lock_guard<std::mutex> lock(lifecycleMutex_);
    if (!accepting_.exchange(false)) return;
    try {
        // Ends the accept loop; keep-alive HTTP connections end after their current request.
        if (httpServer_) httpServer_->stopAll(false);
        // Closing the listening socket makes new connects fail at once instead of hanging.
        if (listenSocket_) listenSocket_->close();
    } catch (const Poco::Exception& e) {
        logger_->warn("stopAccepting: " + e.displayText());
    }
    logger_->info("no longer accepting connections on " + boundAddress_);
}

void WebSocketTransport::closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0, timeoutMs));
    const auto open = registry_.snapshot();
    for (const auto& entry : open) {
        entry.connection->requestClose(code, reason, deadline);
        if (entry.connection->markFlushScheduled()) entry.loop->scheduleFlush(entry.connection->id());
    }
    if (!registry_.waitUntilEmpty(deadline)) {
        logger_->warn("closeAll: " + std::to_string(registry_.size()) +
                      " connection(s) did not finish closing within " +
                      std::to_string(timeoutMs) + " ms; closing them now");
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
    for (const auto& entry : open) stats.bytesQueued += entry.connection->queuedBytes();
    return stats;
}

sdk::Readiness WebSocketTransport::readiness() const {
    if (accepting_) return {};
    return {false, "transport-websocket is not accepting connections"};
}

void WebSocketTransport::stop() {
    {
        std::lock_guard<std::mutex> lock(lifecycleMutex_);
        if (stopped_) return;
        stopped_ = true;
    }
    accepting_ = false;
    try {
        // Abort HTTP connections still open, then wait for every handler (an upgrade in
        // progress may still hand a socket to a loop, which is why loops stop last).
        if (httpServer_) httpServer_->stopAll(true);
        if (httpThreads_) httpThreads_->joinAll();
        if (listenSocket_) listenSocket_->close();
    } catch (const Poco::Exception& e) {
        logger_->warn("stop: " + e.displayText());
    }
    for (auto& loop : loops_) loop->stop();  // open connections: 1001, host told
    releaseEverything();
    if (started_) logger_->info("stopped");
}

void WebSocketTransport::releaseEverything() {
    httpServer_.reset();
    httpThreads_.reset();
    listenSocket_.reset();
    loops_.clear();
}

}  // namespace fp::websocket
