#include "transport_test_support.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "firepoker/sdk/plugin.hpp"

namespace fp::websocket::testing {
namespace {

class StderrLogger : public sdk::Logger {
  public:
    void log(sdk::LogLevel level, std::string_view message) override {
        if (level >= sdk::LogLevel::error)
            std::cerr << "[transport] " << message << '\n';
    }
};

std::string lower(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string repeat(char c, std::size_t count) {
    return std::string(count, c);
}

namespace {
int entriesIn(const char* directory) {
    int count = 0;
    if (DIR* dir = ::opendir(directory)) {
        while (const dirent* entry = ::readdir(dir))
            count += entry->d_name[0] != '.';
        ::closedir(dir);
    }
    return count;
}
}  // namespace

int threadCount() {
    return entriesIn("/proc/self/task");
}

int openFdCount() {
    return entriesIn("/proc/self/fd") - 1;  // minus the one opendir holds while reading
}

long raiseFdLimit(long wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < static_cast<rlim_t>(wanted)) {
        limit.rlim_cur = std::min(static_cast<rlim_t>(wanted), limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<long>(limit.rlim_cur);
}

// ---------------------------------------------------------------- RawSocket

RawSocket::RawSocket(std::uint16_t port, int receiveBufferBytes) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        throw std::runtime_error("socket() failed");
    if (receiveBufferBytes > 0) {
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes);
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RawSocket::~RawSocket() {
    close();
}

void RawSocket::close() {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

void RawSocket::sendAll(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;  // the server closed; the test sees it on the read side
        }
        sent += static_cast<std::size_t>(n);
    }
}

bool RawSocket::receiveSome(std::string& into, std::chrono::milliseconds timeout) {
    if (fd_ < 0 || eof_)
        return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0)
        return false;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    into.append(chunk, static_cast<std::size_t>(n));
    return true;
}

// ---------------------------------------------------------------- WsClient

std::uint16_t Frame::closeCode() const {
    if (payload.size() < 2)
        return closecode::noStatus;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
}

WsClient::WsClient(std::uint16_t port, int receiveBufferBytes)
    : socket_(port, receiveBufferBytes) {}

std::string upgradeRequest(const std::string& key, const std::string& extraHeaders) {
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
           key + "\r\nOrigin: http://test.local\r\n" + extraHeaders + "\r\n";
}

std::string WsClient::handshake(const std::string& key, const std::string& extraHeaders,
                                const std::string& trailing) {
    sendHandshake(key, extraHeaders, trailing);
    return awaitHandshake();
}

void WsClient::sendHandshake(const std::string& key, const std::string& extraHeaders,
                             const std::string& trailing) {
    socket_.sendAll(upgradeRequest(key, extraHeaders) + trailing);
}

std::string WsClient::awaitHandshake(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        if (!socket_.receiveSome(buffer_, 200ms) && socket_.eof())
            break;
    }
    if (end == std::string::npos)
        return buffer_;
    std::string head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    upgraded_ = head.rfind("HTTP/1.1 101", 0) == 0;
    return head;
}

void WsClient::sendFrame(Opcode opcode, const std::string& payload, bool fin, bool mask) {
    const MaskKey key{0x37, 0xfa, 0x21, 0x3d};
    socket_.sendAll(
        encodeFrame(opcode, payload, fin, mask ? std::optional<MaskKey>(key) : std::nullopt));
}

std::optional<Frame> WsClient::readFrame(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // Parse a whole frame from the buffer if there is one (a deliberately tiny decoder,
        // independent of the server's, so the tests do not check the codec against itself).
        if (buffer_.size() >= 2) {
            const auto b0 = static_cast<unsigned char>(buffer_[0]);
            const auto b1 = static_cast<unsigned char>(buffer_[1]);
            std::size_t header = 2;
            std::uint64_t length = b1 & 0x7F;
            if (length == 126)
                header = 4;
            if (length == 127)
                header = 10;
            const bool masked = (b1 & 0x80) != 0;
            if (masked)
                header += 4;
            if (buffer_.size() >= header) {
                if (length == 126) {
                    length = (static_cast<unsigned char>(buffer_[2]) << 8) |
                             static_cast<unsigned char>(buffer_[3]);
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; ++i) {
                        length = (length << 8) | static_cast<unsigned char>(buffer_[2 + i]);
                    }
                }
                if (buffer_.size() >= header + length) {
                    Frame frame;
                    frame.fin = (b0 & 0x80) != 0;
                    frame.opcode = static_cast<Opcode>(b0 & 0x0F);
                    frame.masked = masked;
                    frame.payload = buffer_.substr(header, static_cast<std::size_t>(length));
                    buffer_.erase(0, header + static_cast<std::size_t>(length));
                    return frame;
                }
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        if (!socket_.receiveSome(buffer_, left) && socket_.eof())
            return std::nullopt;
    }
}

std::optional<Frame> WsClient::readNonPing(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto frame = readFrame(left.count() > 0 ? left : 0ms);
        if (!frame || frame->opcode != Opcode::ping)
            return frame;
    }
}

bool WsClient::waitForEof(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string discard;
    while (!socket_.eof() && std::chrono::steady_clock::now() < deadline) {
        socket_.receiveSome(discard, 100ms);
    }
    return socket_.eof();
}

// ---------------------------------------------------------------- HTTP

std::string HttpReply::header(const std::string& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

HttpReply httpExchange(std::uint16_t port, const std::string& request) {
    RawSocket socket(port);
    HttpReply reply;
    if (!socket.connected())
        return reply;
    socket.sendAll(request);
    std::string raw;
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!socket.eof() && std::chrono::steady_clock::now() < deadline) {
        socket.receiveSome(raw, 200ms);
    }
    const auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos)
        return reply;
    const std::string head = raw.substr(0, end);
    reply.body = raw.substr(end + 4);
    std::size_t lineStart = 0;
    bool first = true;
    while (lineStart <= head.size()) {
        auto lineEnd = head.find("\r\n", lineStart);
        if (lineEnd == std::string::npos)
            lineEnd = head.size();
        const std::string line = head.substr(lineStart, lineEnd - lineStart);
        if (first) {
            reply.status = std::atoi(line.substr(9, 3).c_str());
            first = false;
        } else if (auto colon = line.find(':'); colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.erase(0, 1);
            reply.headers[lower(line.substr(0, colon))] = value;
        }
        lineStart = lineEnd + 2;
    }
    return reply;
}

HttpReply httpGet(std::uint16_t port, const std::string& target, const std::string& extraHeaders,
                  const std::string& method) {
    return httpExchange(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                  extraHeaders + "Connection: close\r\n\r\n");
}

// ---------------------------------------------------------------- EchoHost

bool EchoHost::acceptConnection(const sdk::ConnectionInfo&, std::string& refusal) {
    if (refuse)
        refusal = refusalText;
    return !refuse;
}

void EchoHost::onConnectionOpened(sdk::ConnectionId id, const sdk::ConnectionInfo& info) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        opened_.push_back(id);
        infos_[id] = info;
        changed_.notify_all();
    }
    if (!welcome.empty() && transport != nullptr)
        transport->send(id, transport->prepare(welcome));
}

void EchoHost::onTextMessage(sdk::ConnectionId id, std::string text) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        messages_[id].push_back(text);
        changed_.notify_all();
    }
    if (echo && transport != nullptr)
        transport->send(id, transport->prepare(std::move(text)));
}

void EchoHost::onConnectionClosed(sdk::ConnectionId id, std::uint16_t code) {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_[id] = code;
    ++closeCounts_[id];
    changed_.notify_all();
}

bool EchoHost::isCoreRoute(const std::string& path) const {
    return path == "/healthz" || path.rfind("/api/", 0) == 0;
}

sdk::HttpResponse EchoHost::handleHttp(const sdk::HttpRequest& request) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        httpRequests_.push_back(request);
    }
    sdk::HttpResponse response;
    response.status = 201;
    response.contentType = "application/json";
    response.headers["X-Core"] = "yes";
    response.body = "{\"path\":\"" + request.path + "\",\"body\":\"" + request.body + "\"}";
    return response;
}

std::optional<sdk::ConnectionId> EchoHost::waitOpened(std::size_t count,
                                                      std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return opened_.size() >= count; })) {
        return std::nullopt;
    }
    return opened_[count - 1];
}

std::optional<std::uint16_t> EchoHost::waitClosed(sdk::ConnectionId id,
                                                  std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return closed_.count(id) != 0; })) {
        return std::nullopt;
    }
    return closed_[id];
}

std::vector<sdk::ConnectionId> EchoHost::openedIds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return opened_;
}

std::map<sdk::ConnectionId, int> EchoHost::closeCounts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closeCounts_;
}

std::vector<std::string> EchoHost::messagesOf(sdk::ConnectionId id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = messages_.find(id);
    return it == messages_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<sdk::ConnectionInfo> EchoHost::infoOf(sdk::ConnectionId id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = infos_.find(id);
    if (it == infos_.end())
        return std::nullopt;
    return it->second;
}

std::vector<sdk::HttpRequest> EchoHost::httpRequests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return httpRequests_;
}

// ---------------------------------------------------------------- RunningTransport

RunningTransport::RunningTransport(std::map<std::string, std::int64_t> intOptions,
                                   std::string webRoot,
                                   std::map<std::string, std::string> stringOptions) {
    sdk::PluginContext context;
    context.instanceName = "transport-test";
    context.logger = std::make_shared<StderrLogger>();
    for (const auto& [name, value] : intOptions)
        context.options.set(name, value);
    for (const auto& [name, value] : stringOptions)
        context.options.set(name, value);
    transport_ = std::make_unique<WebSocketTransport>(context);
    host_.transport = transport_.get();
    transport_->setHost(&host_);
    transport_->setListenAddress("127.0.0.1:0");
    transport_->setWebRoot(webRoot);
    const sdk::Status status = transport_->start();
    if (!status.ok())
        throw std::runtime_error("transport did not start: " + status.message);
    const std::string bound = transport_->boundAddress();
    port_ = static_cast<std::uint16_t>(std::stoi(bound.substr(bound.rfind(':') + 1)));
}

RunningTransport::~RunningTransport() {
    transport_->stop();
}

std::pair<std::unique_ptr<WsClient>, sdk::ConnectionId> RunningTransport::connect(
    int receiveBufferBytes) {
    auto client = std::make_unique<WsClient>(port_, receiveBufferBytes);
    client->handshake();
    if (!client->upgraded())
        throw std::runtime_error("handshake failed");
    const auto id = host_.waitOpened(++connections_);
    if (!id)
        throw std::runtime_error("the host was not told about the connection");
    return {std::move(client), *id};
}

StormResult handshakeStorm(RunningTransport& server, int count) {
    using Clock = std::chrono::steady_clock;
    StormResult result;
    const std::string& welcome = server.host().welcome;
    const auto start = Clock::now();
    std::vector<std::unique_ptr<WsClient>> clients;
    clients.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        clients.push_back(std::make_unique<WsClient>(server.port()));
        clients.back()->sendHandshake();
    }
    result.connecting = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    for (auto& client : clients) {
        client->awaitHandshake(10s);
        if (!client->upgraded())
            continue;
        const auto frame = client->readNonPing(5s);
        if (frame && frame->opcode == Opcode::text && frame->payload == welcome)
            ++result.welcomed;
    }
    result.total = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
}

// ---------------------------------------------------------------- TempDir

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fp-transport-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& relative, const std::string& content) const {
    const auto file = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
}

}  // namespace fp::websocket::testing
