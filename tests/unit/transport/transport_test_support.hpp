// Test tools for the WebSocket transport: a raw-socket WebSocket client with its own
// (masking) frame encoder, a raw HTTP client, an echo TransportHost and a running transport.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "firepoker/sdk/transport.hpp"
#include "frame_codec.hpp"
#include "websocket_transport.hpp"

namespace fp::websocket::testing {

using namespace std::chrono_literals;

// A connected TCP socket to 127.0.0.1:port (blocking, with timed reads).
class RawSocket {
  public:
    // receiveBufferBytes > 0 shrinks SO_RCVBUF before connecting (a client that reads slowly).
    explicit RawSocket(std::uint16_t port, int receiveBufferBytes = 0);
    ~RawSocket();
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    bool connected() const { return fd_ >= 0; }
    void sendAll(const std::string& bytes);
    // Appends what arrives within `timeout` (at least one byte unless it times out or EOF).
    // Returns false on timeout; sets eof() when the server closed.
    bool receiveSome(std::string& into, std::chrono::milliseconds timeout);
    bool eof() const { return eof_; }
    void close();

  private:
    int fd_ = -1;
    bool eof_ = false;
};

struct Frame {
    Opcode opcode = Opcode::continuation;
    bool fin = false;
    bool masked = false;
    std::string payload;
    std::uint16_t closeCode() const;  // for CLOSE frames; 1005 if none
};

// The upgrade request WsClient sends.
std::string upgradeRequest(const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==",
                           const std::string& extraHeaders = {});

class WsClient {
  public:
    explicit WsClient(std::uint16_t port, int receiveBufferBytes = 0);
    // Sends the upgrade request; returns the response head (status line + headers).
    // `trailing` is sent in the same write as the request (a client that does not wait).
    std::string handshake(const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==",
                          const std::string& extraHeaders = {}, const std::string& trailing = {});
    // The two halves of handshake(), for clients that send first and read later.
    void sendHandshake(const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==",
                       const std::string& extraHeaders = {}, const std::string& trailing = {});
    std::string awaitHandshake(std::chrono::milliseconds timeout = 3000ms);
    bool upgraded() const { return upgraded_; }

    void sendFrame(Opcode opcode, const std::string& payload, bool fin = true, bool mask = true);
    void sendText(const std::string& text) { sendFrame(Opcode::text, text); }
    void sendRaw(const std::string& bytes) { socket_.sendAll(bytes); }
    // The next server frame, or nullopt on timeout/EOF.
    std::optional<Frame> readFrame(std::chrono::milliseconds timeout = 2000ms);
    // The next frame that is not a PING (the server's keepalive), or nullopt.
    std::optional<Frame> readNonPing(std::chrono::milliseconds timeout = 2000ms);
    // True if the server closed TCP within the timeout.
    bool waitForEof(std::chrono::milliseconds timeout = 2000ms);
    RawSocket& socket() { return socket_; }

  private:
    RawSocket socket_;
    std::string buffer_;
    bool upgraded_ = false;
};

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;
    std::string header(const std::string& name) const;
};

// Sends `request` as is (add "Connection: close") and reads the reply until EOF.
HttpReply httpExchange(std::uint16_t port, const std::string& request);
HttpReply httpGet(std::uint16_t port, const std::string& target,
                  const std::string& extraHeaders = {}, const std::string& method = "GET");

// Echoes every text back through prepare/send and records what the transport reports.
class EchoHost : public sdk::TransportHost {
  public:
    sdk::Transport* transport = nullptr;
    bool refuse = false;
    std::string refusalText = "origin not allowed";
    bool echo = true;
    std::string welcome;  // if set, sent to every connection as soon as it opens

    bool acceptConnection(const sdk::ConnectionInfo& info, std::string& refusal) override;
    void onConnectionOpened(sdk::ConnectionId id, const sdk::ConnectionInfo& info) override;
    void onTextMessage(sdk::ConnectionId id, std::string text) override;
    void onConnectionClosed(sdk::ConnectionId id, std::uint16_t code) override;
    bool isCoreRoute(const std::string& path) const override;
    sdk::HttpResponse handleHttp(const sdk::HttpRequest& request) override;

    // Waits for the n-th opened connection (1-based) and returns its id.
    std::optional<sdk::ConnectionId> waitOpened(std::size_t count,
                                                std::chrono::milliseconds timeout = 2000ms);
    std::optional<std::uint16_t> waitClosed(sdk::ConnectionId id,
                                            std::chrono::milliseconds timeout = 3000ms);
    std::vector<sdk::ConnectionId> openedIds() const;
    std::map<sdk::ConnectionId, int> closeCounts() const;
    std::vector<std::string> messagesOf(sdk::ConnectionId id) const;
    std::optional<sdk::ConnectionInfo> infoOf(sdk::ConnectionId id) const;
    std::vector<sdk::HttpRequest> httpRequests() const;

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<sdk::ConnectionId> opened_;
    std::map<sdk::ConnectionId, sdk::ConnectionInfo> infos_;
    std::map<sdk::ConnectionId, std::vector<std::string>> messages_;
    std::map<sdk::ConnectionId, std::uint16_t> closed_;
    std::map<sdk::ConnectionId, int> closeCounts_;
    std::vector<sdk::HttpRequest> httpRequests_;
};

// A transport listening on 127.0.0.1:0 with an EchoHost, started in the constructor.
class RunningTransport {
  public:
    explicit RunningTransport(std::map<std::string, std::int64_t> intOptions = {},
                              std::string webRoot = {},
                              std::map<std::string, std::string> stringOptions = {});
    ~RunningTransport();
    std::uint16_t port() const { return port_; }
    WebSocketTransport& transport() { return *transport_; }
    EchoHost& host() { return host_; }
    // A client that completed the handshake, and its connection id.
    std::pair<std::unique_ptr<WsClient>, sdk::ConnectionId> connect(int receiveBufferBytes = 0);

  private:
    EchoHost host_;
    std::unique_ptr<WebSocketTransport> transport_;
    std::uint16_t port_ = 0;
    std::size_t connections_ = 0;
};

// `count` clients connect and send their upgrade request one after the other, as fast as they
// can, and only then read: every handshake is in flight at once. Each client must get its 101
// and then the host's welcome (set EchoHost::welcome first).
struct StormResult {
    int welcomed = 0;                         // clients that got the 101 and the welcome
    std::chrono::milliseconds connecting{0};  // until the last request was sent
    std::chrono::milliseconds total{0};       // until the last welcome arrived
};
StormResult handshakeStorm(RunningTransport& server, int count);

// A directory under /tmp removed with its contents when the object goes.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    void write(const std::string& relative, const std::string& content) const;

  private:
    std::string path_;
};

std::string repeat(char c, std::size_t count);

// Threads and open descriptors of this process (from /proc/self).
int threadCount();
int openFdCount();
// Raises the soft RLIMIT_NOFILE to at least `wanted` (up to the hard limit); returns the limit.
long raiseFdLimit(long wanted);

}  // namespace fp::websocket::testing
