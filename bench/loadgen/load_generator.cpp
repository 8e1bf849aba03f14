#include "load_generator.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <random>
#include <stdexcept>

#include "json_peek.hpp"
#include "ws_frame.hpp"

namespace fp::bench {
namespace {

constexpr std::size_t kRecentVotes = 256;

double secondsBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::uint64_t LoadReport::errors() const {
    std::uint64_t total = connectErrors + unexpectedCloses;
    for (const auto& entry : errorCodes)
        total += entry.second;
    return total;
}

LoadGenerator::LoadGenerator(LoadOptions options) : options_(std::move(options)) {
    if (options_.ports.empty())
        throw std::invalid_argument("no server port given (--port)");
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0)
        throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    rooms_.resize(static_cast<std::size_t>(options_.rooms));
    clients_.resize(static_cast<std::size_t>(options_.rooms * options_.perRoom));
    for (int r = 0; r < options_.rooms; ++r) {
        for (int s = 0; s < options_.perRoom; ++s) {
            const int index = r * options_.perRoom + s;
            clients_[static_cast<std::size_t>(index)].room = r;
            clients_[static_cast<std::size_t>(index)].slot = s;
            rooms_[static_cast<std::size_t>(r)].members.push_back(index);
        }
    }
}

LoadGenerator::~LoadGenerator() {
    for (auto& client : clients_) {
        if (client.fd >= 0)
            ::close(client.fd);
    }
    if (epoll_ >= 0)
        ::close(epoll_);
}

bool LoadGenerator::measuring(Clock::time_point at) const {
    return at >= windowStart_ && at < windowEnd_;
}

void LoadGenerator::startConnection(int index) {
    Client& client = clients_[static_cast<std::size_t>(index)];
    client = Client{-1,
                    client.room,
                    client.slot,
                    State::connecting,
                    {},
                    0,
                    false,
                    {},
                    {},
                    client.participantId,
                    client.resumeToken,
                    false,
                    client.cardToggle,
                    client.lastSeqSeen,
                    false};
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ++report_.connectErrors;
        std::cerr << "socket: " << std::strerror(errno) << "\n";
        client.state = State::closed;
        return;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    const int port = options_.ports[static_cast<std::size_t>(client.slot) % options_.ports.size()];
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, options_.host.c_str(), &address.sin_addr);
    client.fd = fd;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 &&
        errno != EINPROGRESS) {
        ++report_.connectErrors;
        std::cerr << "connect: " << std::strerror(errno) << "\n";
        ::close(fd);
        client.fd = -1;
        client.state = State::closed;
        return;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = static_cast<std::uint32_t>(index);
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    client.watchingWrite = true;
}

void LoadGenerator::closeClient(Client& client, int index, bool onPurpose) {
    (void)index;
    if (client.fd >= 0) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, client.fd, nullptr);
        ::close(client.fd);
        client.fd = -1;
    }
    if (!onPurpose && client.state != State::closed) {
        ++report_.unexpectedCloses;
        if (report_.unexpectedCloses <= 5)
            std::cerr << "connection " << index << " (room " << client.room
                      << ") closed unexpectedly\n";
    }
    client.state = State::closed;
    if (client.welcomed)
        client.welcomed = false;
    // A vote in flight from this client will never be acknowledged.
    Room& room = rooms_[static_cast<std::size_t>(client.room)];
    if (room.inFlight && !room.recent.empty() &&
        room.recent.back().voterId == client.participantId) {
        room.inFlight = false;
    }
}

void LoadGenerator::onEvent(int index, std::uint32_t events) {
    Client& client = clients_[static_cast<std::size_t>(index)];
    if (client.fd < 0)
        return;
    if (client.state == State::connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(client.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            ++report_.connectErrors;
            if (report_.connectErrors <= 5)
                std::cerr << "connect failed: " << std::strerror(error) << "\n";
            client.state = State::closed;
            closeClient(client, index, true);
            return;
        }
        if (!(events & EPOLLOUT))
            return;
        client.state = State::handshaking;
        const int port =
            options_.ports[static_cast<std::size_t>(client.slot) % options_.ports.size()];
        std::string request = "GET /ws HTTP/1.1\r\nHost: " + options_.host + ":" +
                              std::to_string(port) +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n\r\n";
        sendRaw(client, index, std::move(request));
        return;
    }
    if (events & EPOLLOUT)
        onWritable(client, index);
    if (client.fd >= 0 && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        onReadable(client, index);
}

void LoadGenerator::sendRaw(Client& client, int index, std::string bytes) {
    if (client.fd < 0)
        return;
    if (client.out.empty()) {
        client.out = std::move(bytes);
        client.outOffset = 0;
    } else {
        client.out.append(bytes);
    }
    flush(client, index);
}

void LoadGenerator::sendText(Client& client, int index, const std::string& text) {
    maskState_ ^= maskState_ << 13;
    maskState_ ^= maskState_ >> 17;
    maskState_ ^= maskState_ << 5;
    std::string frame;
    frame.reserve(text.size() + 14);
    appendMaskedFrame(frame, Opcode::text, text, maskState_);
    sendRaw(client, index, std::move(frame));
}

void LoadGenerator::flush(Client& client, int index) {
    while (client.outOffset < client.out.size()) {
        const ssize_t written = ::send(client.fd, client.out.data() + client.outOffset,
                                       client.out.size() - client.outOffset, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            closeClient(client, index, false);
            return;
        }
        client.outOffset += static_cast<std::size_t>(written);
    }
    const bool pending = client.outOffset < client.out.size();
    if (!pending) {
        client.out.clear();
        client.outOffset = 0;
    }
    if (pending != client.watchingWrite) {
        epoll_event event{};
        event.events = EPOLLIN | (pending ? EPOLLOUT : 0u);
        event.data.u32 = static_cast<std::uint32_t>(index);
        epoll_ctl(epoll_, EPOLL_CTL_MOD, client.fd, &event);
        client.watchingWrite = pending;
    }
}

void LoadGenerator::onWritable(Client& client, int index) {
    flush(client, index);
}

void LoadGenerator::onReadable(Client& client, int index) {
    char buffer[65536];
    for (int round = 0; round < 4; ++round) {
        const ssize_t got = ::recv(client.fd, buffer, sizeof buffer, 0);
        if (got == 0) {
            closeClient(client, index, client.closingOnPurpose);
            return;
        }
        if (got < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            closeClient(client, index, client.closingOnPurpose);
            return;
        }
        client.in.append(buffer, static_cast<std::size_t>(got));
        if (static_cast<std::size_t>(got) < sizeof buffer)
            break;
    }
    if (client.state == State::handshaking)
        onHandshakeBytes(client, index);
    if (client.state == State::open)
        onFrames(client, index);
}

void LoadGenerator::onHandshakeBytes(Client& client, int index) {
    const auto end = client.in.find("\r\n\r\n");
    if (end == std::string::npos)
        return;
    if (client.in.compare(0, 12, "HTTP/1.1 101") != 0) {
        const auto lineEnd = client.in.find("\r\n");
        ++report_
              .errorCodes["handshake:" + (client.in.size() >= 12 ? client.in.substr(9, 3) : "?")];
        if (report_.errorCodes.size() < 5)
            std::cerr << "upgrade refused: " << client.in.substr(0, lineEnd) << "\n";
        client.state = State::closed;
        closeClient(client, index, true);
        return;
    }
    client.in.erase(0, end + 4);
    client.state = State::open;
    sendJoin(client, index);
}

void LoadGenerator::sendJoin(Client& client, int index) {
    std::string join = R"({"type":"join","rid":0,"room":")" + options_.roomPrefix + "-" +
                       std::to_string(client.room) + R"(","name":"u)" +
                       std::to_string(client.slot) + "\"";
    if (!client.participantId.empty()) {
        join += R"(,"participantId":")" + client.participantId + R"(","resumeToken":")" +
                client.resumeToken + "\"";
    }
    join += "}";
    ++report_.commandsSent;
    sendText(client, index, join);
}

void LoadGenerator::onFrames(Client& client, int index) {
    std::size_t offset = 0;
    while (client.fd >= 0) {
        Frame frame;
        std::size_t consumed = 0;
        const auto result = parseFrame(client.in, offset, frame, consumed);
        if (result == ParseResult::needMore)
            break;
        if (result == ParseResult::invalid) {
            ++report_.errorCodes["bad_frame"];
            closeClient(client, index, true);
            return;
        }
        offset += consumed;
        switch (frame.opcode) {
            case Opcode::text:
            case Opcode::continuation:
                if (frame.fin && client.fragments.empty() && frame.opcode == Opcode::text) {
                    onMessage(client, index, frame.payload);
                } else {
                    client.fragments.append(frame.payload);
                    if (frame.fin) {
                        std::string whole = std::move(client.fragments);
                        client.fragments.clear();
                        onMessage(client, index, whole);
                    }
                }
                break;
            case Opcode::ping: {
                std::string pong;
                appendMaskedFrame(pong, Opcode::pong, frame.payload, maskState_);
                sendRaw(client, index, std::move(pong));
                break;
            }
            case Opcode::close:
                if (!client.closingOnPurpose) {
                    std::uint16_t code =
                        frame.payload.size() >= 2
                            ? static_cast<std::uint16_t>(
                                  (static_cast<unsigned char>(frame.payload[0]) << 8) |
                                  static_cast<unsigned char>(frame.payload[1]))
                            : 1005;
                    ++report_.errorCodes["close:" + std::to_string(code)];
                }
                closeClient(client, index, true);
                return;
            default:
                break;
        }
    }
    if (client.fd >= 0)
        client.in.erase(0, offset);
}

void LoadGenerator::onMessage(Client& client, int index, std::string_view text) {
    const auto typeAt = findTopLevelValue(text, "type");
    const auto type = typeAt ? valueAt(text, *typeAt) : std::nullopt;
    if (!type) {
        ++report_.errorCodes["unreadable_message"];
        return;
    }
    if (*type == "state") {
        onState(client, index, text);
    } else if (*type == "ack") {
        onAck(client, text, false);
    } else if (*type == "welcome") {
        if (client.participantId.empty()) {
            if (auto id = peekField(text, "participantId"))
                client.participantId = std::string(*id);
            if (auto token = peekField(text, "resumeToken"))
                client.resumeToken = std::string(*token);
        }
        client.welcomed = true;
        // Votes sent before this welcome never reach us as states to be timed.
        client.lastSeqSeen = rooms_[static_cast<std::size_t>(client.room)].seq;
        ++report_.welcomed;
        const double after = secondsBetween(connectStart_, Clock::now());
        if (after <= 1.0)
            ++report_.welcomedWithinOneSecond;
    } else if (*type == "error") {
        const auto code = peekField(text, "code");
        const std::string name = code ? std::string(*code) : "unknown";
        ++report_.errorCodes[name];
        if (report_.errorCodes[name] <= 3)
            std::cerr << "server error: " << text.substr(0, 300) << "\n";
        onAck(client, text, true);
    }
}

void LoadGenerator::onAck(Client& client, std::string_view text, bool failed) {
    const auto rid = peekUnsigned(text, "rid");
    if (!rid || *rid == 0)
        return;  // the join's
    Room& room = rooms_[static_cast<std::size_t>(client.room)];
    if (!room.inFlight || *rid != room.seq)
        return;
    room.inFlight = false;
    if (failed && !room.recent.empty())
        room.recent.back().failed = true;
    if (options_.mode == Mode::saturate && votingStarted_ && Clock::now() < windowEnd_) {
        sendVote(client.room);
    } else if (room.owed) {
        room.owed = false;
        ++report_.lateVotes;
        sendVote(client.room);
    }
}

void LoadGenerator::onState(Client& client, int index, std::string_view text) {
    (void)index;
    const auto now = Clock::now();
    if (measuring(now))
        ++report_.deliveries;
    const auto causeAt = findTopLevelValue(text, "cause");
    if (!causeAt)
        return;
    const auto causeType = peekField(text, "type", *causeAt);
    if (!causeType || *causeType != "vote")
        return;
    const auto by = peekField(text, "by", *causeAt);
    if (!by)
        return;
    Room& room = rooms_[static_cast<std::size_t>(client.room)];
    // States reach a connection in version order and votes in a room commit in send order
    // (one in flight at a time), so this state belongs to the oldest vote by `by` that this
    // connection has not seen yet; failed votes never produce a state and are skipped.
    for (auto& vote : room.recent) {
        if (vote.seq <= client.lastSeqSeen || vote.failed)
            continue;
        if (vote.voterId != *by)
            continue;
        client.lastSeqSeen = vote.seq;
        if (client.participantId != vote.voterId && measuring(vote.sentAt) &&
            options_.mode != Mode::soak) {
            latency_.add(
                std::chrono::duration_cast<std::chrono::microseconds>(now - vote.sentAt).count());
        }
        return;
    }
    if (options_.mode != Mode::soak)
        ++report_.unmatched;
}

void LoadGenerator::sendVote(int roomIndex) {
    Room& room = rooms_[static_cast<std::size_t>(roomIndex)];
    // The next voter with an open, welcomed connection.
    for (std::size_t tries = 0; tries < room.members.size(); ++tries) {
        const int index = room.members[static_cast<std::size_t>(room.nextVoter)];
        room.nextVoter = (room.nextVoter + 1) % static_cast<int>(room.members.size());
        Client& voter = clients_[static_cast<std::size_t>(index)];
        if (voter.state != State::open || !voter.welcomed)
            continue;
        voter.cardToggle = !voter.cardToggle;
        ++room.seq;
        Vote vote;
        vote.seq = room.seq;
        vote.voterId = voter.participantId;
        vote.sentAt = Clock::now();
        if (measuring(vote.sentAt))
            ++report_.votes;
        room.recent.push_back(std::move(vote));
        if (room.recent.size() > kRecentVotes)
            room.recent.pop_front();
        room.inFlight = true;
        ++report_.commandsSent;
        sendText(voter, index,
                 std::string(R"({"type":"vote","card":")") + (voter.cardToggle ? "3" : "5") +
                     R"(","rid":)" + std::to_string(room.seq) + "}");
        return;
    }
}

void LoadGenerator::churnOne() {
    static std::mt19937 pick(12345);
    std::uniform_int_distribution<std::size_t> any(0, clients_.size() - 1);
    for (int tries = 0; tries < 20; ++tries) {
        const std::size_t index = any(pick);
        Client& client = clients_[index];
        if (client.state != State::open || !client.welcomed)
            continue;
        client.closingOnPurpose = true;
        closeClient(client, static_cast<int>(index), true);
        reconnecting_.push_back(static_cast<int>(index));
        return;
    }
}

void LoadGenerator::pump(Clock::time_point until) {
    epoll_event events[512];
    while (true) {
        auto now = Clock::now();
        if (now >= until)
            return;
        Clock::time_point wake = until;
        if (votingStarted_ && !dueVotes_.empty())
            wake = std::min(wake, dueVotes_.top().first);
        const auto waitMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
        const int ready =
            epoll_wait(epoll_, events, 512, static_cast<int>(std::max<std::int64_t>(0, waitMs)));
        for (int i = 0; i < ready; ++i)
            onEvent(static_cast<int>(events[i].data.u32), events[i].events);
        if (votingStarted_) {
            now = Clock::now();
            while (!dueVotes_.empty() && dueVotes_.top().first <= now) {
                auto [at, roomIndex] = dueVotes_.top();
                dueVotes_.pop();
                Room& room = rooms_[static_cast<std::size_t>(roomIndex)];
                if (room.inFlight)
                    room.owed = true;
                else
                    sendVote(roomIndex);
                if (at < windowEnd_)
                    dueVotes_.push({at + seconds(1.0 / options_.votesPerRoomPerSecond), roomIndex});
            }
        }
    }
}

void LoadGenerator::runVotes() {
    const auto start = Clock::now();
    windowStart_ = start + seconds(options_.warmupSeconds);
    windowEnd_ = windowStart_ + seconds(options_.durationSeconds);
    votingStarted_ = true;
    std::mt19937 spread(7);
    std::uniform_real_distribution<double> phase(0.0, 1.0 / options_.votesPerRoomPerSecond);
    if (options_.mode == Mode::saturate) {
        for (int r = 0; r < options_.rooms; ++r)
            sendVote(r);
    } else {
        for (int r = 0; r < options_.rooms; ++r)
            dueVotes_.push({start + seconds(phase(spread)), r});
    }
    pump(windowStart_);
    report_.serverStart = sampleProcesses(options_.serverPids);
    report_.helperStart = sampleProcesses(options_.helperPids);
    const auto selfStart = selfCpuMicros();
    if (options_.mode == Mode::soak && options_.churnPerSecond > 0) {
        // Close a few connections and bring them back with their resume tokens, spread over
        // each second.
        const auto step = seconds(1.0 / options_.churnPerSecond);
        for (auto next = Clock::now(); next < windowEnd_; next += step) {
            pump(next);
            for (int index : reconnecting_)
                startConnection(index);
            reconnecting_.clear();
            churnOne();
        }
    }
    pump(windowEnd_);
    report_.serverEnd = sampleProcesses(options_.serverPids);
    report_.helperEnd = sampleProcesses(options_.helperPids);
    report_.windowSeconds = secondsBetween(windowStart_, Clock::now());
    report_.generatorCpuShare =
        static_cast<double>(selfCpuMicros() - selfStart) / 1e6 / report_.windowSeconds;
    // Let the last states arrive before the books close.
    votingStarted_ = false;
    pump(Clock::now() + std::chrono::milliseconds(500));
}

LoadReport LoadGenerator::run() {
    report_.connectionsWanted = static_cast<int>(clients_.size());
    report_.serverIdle = sampleProcesses(options_.serverPids);
    connectStart_ = Clock::now();
    const auto deadline = connectStart_ + seconds(options_.connectTimeoutSeconds);
    // Connect, ramped or all at once, and wait for every welcome.
    std::size_t started = 0;
    while (Clock::now() < deadline) {
        const auto now = Clock::now();
        std::size_t due = clients_.size();
        if (options_.connectRate > 0) {
            due = std::min(clients_.size(),
                           static_cast<std::size_t>(
                               secondsBetween(connectStart_, now) * options_.connectRate + 1));
        }
        for (; started < due; ++started)
            startConnection(static_cast<int>(started));
        std::size_t settled = 0;
        for (const auto& client : clients_)
            settled += (client.welcomed || client.state == State::closed) ? 1 : 0;
        if (started == clients_.size() && settled == clients_.size())
            break;
        pump(now + std::chrono::milliseconds(options_.connectRate > 0 ? 2 : 20));
    }
    report_.secondsToAllWelcomed = secondsBetween(connectStart_, Clock::now());
    std::cerr << "connected: " << report_.welcomed << "/" << clients_.size() << " welcomed in "
              << report_.secondsToAllWelcomed << " s\n";
    if (options_.mode == Mode::connect) {
        pump(Clock::now() + seconds(options_.holdSeconds));
        report_.serverLoaded = sampleProcesses(options_.serverPids);
    } else {
        // The joins' own states settle before votes are timed.
        pump(Clock::now() + std::chrono::milliseconds(500));
        report_.serverLoaded = sampleProcesses(options_.serverPids);
        runVotes();
    }
    for (const auto& client : clients_)
        report_.connectionsOpen += (client.state == State::open && client.welcomed) ? 1 : 0;
    report_.latencySamples = latency_.count();
    report_.p50Ms = latency_.percentileMs(0.50);
    report_.p99Ms = latency_.percentileMs(0.99);
    report_.maxMs = latency_.percentileMs(1.0);
    return report_;
}

}  // namespace fp::bench
