// Transport: accepts clients, hands their messages to the core, sends to connections and
// serves the core's HTTP routes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "firepoker/sdk/plugin.hpp"

namespace fp::sdk {

using ConnectionId = std::uint64_t;

struct ConnectionInfo {
    std::string remoteAddress;  // "ip:port" of the TCP peer (a proxy's, behind one)
    std::string origin;         // the Origin header, empty when absent
    std::string host;           // the Host header
    std::string path;           // the request target of the upgrade
    // The client's IP address (no port): the peer's, or, when the peer is a proxy the transport
    // is configured to trust, the one it reports (X-Forwarded-For). Use it in logs and limits.
    std::string clientAddress;
};

struct HttpRequest {
    std::string method;
    std::string path;                            // without the query
    std::string query;                           // without '?'
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;
    std::string remoteAddress;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;
};

// A message encoded once for the wire and shared by every connection it goes to.
struct OutboundMessage {
    std::string payload;  // the JSON text
    // Filled by the transport's prepare(): the bytes to write. Empty when prepare() threw and
    // the core kept the text: send() then encodes `payload` itself.
    std::string encoded;
};
using SharedOutbound = std::shared_ptr<const OutboundMessage>;

// WebSocket close codes the core uses.
namespace closecode {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t goingAway = 1001;
inline constexpr std::uint16_t unsupportedData = 1003;
inline constexpr std::uint16_t policyViolation = 1008;
inline constexpr std::uint16_t messageTooBig = 1009;
inline constexpr std::uint16_t internalError = 1011;
inline constexpr std::uint16_t kicked = 4001;
}  // namespace closecode

// Implemented by the core. Called from the transport's threads. onTextMessage must not
// block on I/O; the core queues work elsewhere.
class TransportHost {
  public:
    virtual ~TransportHost() = default;
    // Return false to refuse the upgrade (403), e.g. a bad Origin.
    virtual bool acceptConnection(const ConnectionInfo& info, std::string& refusal) = 0;
    virtual void onConnectionOpened(ConnectionId id, const ConnectionInfo& info) = 0;
    // One complete text message (continuations reassembled), valid UTF-8 not yet checked.
    virtual void onTextMessage(ConnectionId id, std::string text) = 0;
    // After this call the id is never used again by the transport.
    virtual void onConnectionClosed(ConnectionId id, std::uint16_t code) = 0;
    // True for paths the core answers (/healthz, /api/...); the rest is static files.
    virtual bool isCoreRoute(const std::string& path) const = 0;
    virtual HttpResponse handleHttp(const HttpRequest& request) = 0;
};

struct TransportStats {
    std::uint64_t openConnections = 0;
    std::uint64_t bytesQueued = 0;
};

// Thread-safe: prepare, send and close may be called from any thread.
class Transport : public Plugin {
  public:
    PluginKind kind() const override { return PluginKind::transport; }

    // Set before start(); valid until stop() returns.
    virtual void setHost(TransportHost* host) = 0;
    // The listen address ("host:port") the core resolved from config and --listen.
    virtual void setListenAddress(const std::string& hostPort) = 0;
    // The folder of static files (the web client).
    virtual void setWebRoot(const std::string& path) = 0;
    // The address actually bound (useful with port 0), valid after start().
    virtual std::string boundAddress() const = 0;

    virtual SharedOutbound prepare(std::string payload) const = 0;
    // Queues a message; a connection whose queue overflows is closed, never blocks.
    virtual void send(ConnectionId id, const SharedOutbound& message) = 0;
    // Flushes what is queued, then closes with the code.
    virtual void close(ConnectionId id, std::uint16_t code, const std::string& reason) = 0;
    // Graceful shutdown, step 1: refuse new connections and HTTP requests.
    virtual void stopAccepting() = 0;
    // Step 2: flush every queue and close every connection with `code`, waiting at most
    // `timeoutMs`. stop() afterwards releases everything.
    virtual void closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) = 0;
    virtual TransportStats stats() const = 0;
};

}  // namespace fp::sdk
