#include "pre_accept_stage.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "admission_control.hpp"

namespace fp::websocket {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kWakeToken = 0;
constexpr std::uint64_t kListenToken = 1;
constexpr std::uint64_t kFirstConnectionToken = 2;
constexpr int kMaxEventsPerWait = 256;
// Accepts per wake-up before the waiting connections get their turn again (the listening socket
// is level-triggered: whatever is left makes the next epoll_wait return at once).
constexpr int kMaxAcceptsPerWake = 512;
// Out of descriptors or memory: stop accepting for a moment instead of spinning on the
// listening socket, which stays readable while connections wait in its backlog.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
constexpr auto kWarningInterval = std::chrono::seconds(10);

bool isHeadSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::system_error systemError(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

// A short answer on a socket the HTTP server never sees. Non-blocking: if the client's window is
// full the answer is lost, which is acceptable for a refusal. What the client sent is consumed
// first so that closing sends FIN rather than RST (an RST may destroy the answer in flight).
void answerAndClose(int fd, std::string_view statusLine, std::string_view body) {
    char sink[4096];
    std::size_t drained = 0;
    while (drained < 65536) {
        const ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n <= 0)
            break;
        drained += static_cast<std::size_t>(n);
    }
    std::string text = "HTTP/1.1 ";
    text.append(statusLine);
    text += "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ";
    text += std::to_string(body.size() + 1);
    text += "\r\nConnection: close\r\n\r\n";
    text.append(body);
    text += '\n';
    (void)!::send(fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
}

}  // namespace

std::optional<std::size_t> findRequestHeadEnd(std::string_view data, std::size_t from) {
    std::size_t start = 0;
    while (start < data.size() && isHeadSpace(data[start]))
        ++start;
    if (start == data.size())
        return std::nullopt;
    // A terminator is at most 3 bytes ("\n\r\n"): one not inside the first `from` bytes starts
    // at from - 2 or later; from - 3 also tolerates a caller that passes a bit too much.
    std::size_t i = std::max(start, from >= 3 ? from - 3 : 0);
    for (; i < data.size(); ++i) {
        if (data[i] != '\n')
            continue;
        if (i + 1 < data.size() && data[i + 1] == '\n')
            return i + 2;
        if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n')
            return i + 3;
    }
    return std::nullopt;
}

PreAcceptStage::PreAcceptStage(Poco::Net::ServerSocket listenSocket, PreAcceptLimits limits,
                               HandOff handOff, sdk::Logger& logger,
                               const AdmissionControl* admission)
    : listenSocket_(std::move(listenSocket)),
      listenFd_(listenSocket_.impl()->sockfd()),
      limits_(limits),
      handOff_(std::move(handOff)),
      logger_(logger),
      admission_(admission),
      nextToken_(kFirstConnectionToken),
      peekBuffer_(limits.maxHeadBytes) {
    const int flags = ::fcntl(listenFd_, F_GETFL, 0);
    if (flags < 0 || ::fcntl(listenFd_, F_SETFL, flags | O_NONBLOCK) < 0)
        throw systemError("pre-accept: cannot make the listening socket non-blocking");
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd_ < 0)
        throw systemError("pre-accept: epoll_create1 failed");
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakeFd_ < 0) {
        auto error = systemError("pre-accept: eventfd failed");
        ::close(epollFd_);
        throw error;
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = kWakeToken;
    epoll_event listen{};
    listen.events = EPOLLIN;
    listen.data.u64 = kListenToken;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &wake) != 0 ||
        ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &listen) != 0) {
        auto error = systemError("pre-accept: cannot watch the listening socket");
        ::close(wakeFd_);
        ::close(epollFd_);
        throw error;
    }
}

PreAcceptStage::~PreAcceptStage() {
    stop();
    ::close(wakeFd_);
    ::close(epollFd_);
}

void PreAcceptStage::start() {
    std::lock_guard<std::mutex> lock(stopMutex_);
    if (thread_.joinable() || stopRequested_)
        return;
    thread_ = std::thread([this] { run(); });
}

void PreAcceptStage::stop() {
    std::lock_guard<std::mutex> lock(stopMutex_);
    stopRequested_ = true;
    const std::uint64_t one = 1;
    (void)!::write(wakeFd_, &one, sizeof one);
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id())
        thread_.join();
    if (!thread_.joinable())
        closeEverything();  // never started, or just joined (then it is a no-op)
}

void PreAcceptStage::run() {
    epoll_event events[kMaxEventsPerWait];
    while (!stopRequested_) {
        const int ready =
            ::epoll_wait(epollFd_, events, kMaxEventsPerWait, waitTimeoutMs(Clock::now()));
        if (ready < 0 && errno != EINTR) {
            logger_.error("pre-accept: epoll_wait failed: " +
                          std::generic_category().message(errno));
            std::this_thread::sleep_for(kAcceptPause);  // do not spin on a broken epoll
        }
        bool listenReady = false;
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t token = events[i].data.u64;
            if (token == kWakeToken) {
                std::uint64_t count = 0;
                (void)!::read(wakeFd_, &count, sizeof count);
            } else if (token == kListenToken) {
                listenReady = true;
            } else {
                onReadable(token, events[i].events);
            }
        }
        if (stopRequested_)
            break;
        const auto now = Clock::now();
        if (resumeAcceptingAt_ && now >= *resumeAcceptingAt_) {
            resumeAcceptingAt_.reset();
            watchListenSocket(true);
            listenReady = true;
        }
        if (listenReady && listenWatched_)
            acceptReady(now);
        expire(Clock::now());
    }
    closeEverything();
}

int PreAcceptStage::waitTimeoutMs(Clock::time_point now) const {
    std::optional<Clock::time_point> next;
    if (!pending_.empty())
        next = pending_.front().deadline;
    if (resumeAcceptingAt_ && (!next || *resumeAcceptingAt_ < *next))
        next = resumeAcceptingAt_;
    if (!next)
        return -1;
    if (*next <= now)
        return 0;
    // Rounded up, so that a wake-up is never a millisecond early.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now) +
                      std::chrono::milliseconds(1);
    return static_cast<int>(std::min<std::int64_t>(left.count(), 60000));
}

void PreAcceptStage::acceptReady(Clock::time_point now) {
    for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
        // Blocking sockets, as POCO expects them; the stage itself only peeks with MSG_DONTWAIT.
        sockaddr_storage peer{};
        socklen_t peerLength = sizeof peer;
        const int fd =
            ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&peer), &peerLength, SOCK_CLOEXEC);
        if (fd >= 0) {
            track(fd, IpAddress::fromSocketAddress(&peer, peerLength), now);
            continue;
        }
        switch (errno) {
            case EAGAIN:
#if EAGAIN != EWOULDBLOCK
            case EWOULDBLOCK:
#endif
                return;
            case EINTR:
            case ECONNABORTED:  // the client gave up while in the backlog
            case EPROTO:
            case ENETDOWN:
            case ENOPROTOOPT:
            case EHOSTDOWN:
            case ENONET:
            case EHOSTUNREACH:
            case EOPNOTSUPP:
            case ENETUNREACH:
                continue;
            default:  // EMFILE, ENFILE, ENOBUFS, ENOMEM...
                pauseAccepting(now, errno);
                return;
        }
    }
}

void PreAcceptStage::pauseAccepting(Clock::time_point now, int error) {
    if (now - lastResourceWarning_ >= kWarningInterval) {
        lastResourceWarning_ = now;
        logger_.warn("pre-accept: accept failed (" + std::generic_category().message(error) +
                     "); pausing new connections briefly (" + std::to_string(pending_.size()) +
                     " waiting for their request)");
    }
    watchListenSocket(false);
    resumeAcceptingAt_ = now + kAcceptPause;
}

void PreAcceptStage::watchListenSocket(bool wanted) {
    if (listenWatched_ == wanted)
        return;
    epoll_event event{};
    event.events = wanted ? EPOLLIN : 0u;
    event.data.u64 = kListenToken;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_MOD, listenFd_, &event) == 0)
        listenWatched_ = wanted;
}

void PreAcceptStage::track(int fd, std::optional<IpAddress> peer, Clock::time_point now) {
    std::string waitingKey;
    if (admission_ != nullptr && peer)
        waitingKey = admission_->waitingKey(*peer);
    const auto waiting =
        waitingKey.empty() ? waitingByAddress_.end() : waitingByAddress_.find(waitingKey);
    if (waiting != waitingByAddress_.end() && waiting->second >= admission_->maxPerAddress()) {
        // This address already has that many connections that have not even sent a request:
        // this one is closed at once, before it can push out someone else's.
        ::close(fd);
        ++closedForAddressSinceWarning_;
        if (now - lastAddressWarning_ >= kWarningInterval) {
            lastAddressWarning_ = now;
            logger_.warn("pre-accept: " + waitingKey + " has " +
                         std::to_string(admission_->maxPerAddress()) +
                         " connections waiting for their request; closed a new one at once (" +
                         std::to_string(closedForAddressSinceWarning_) +
                         " since the last warning)");
            closedForAddressSinceWarning_ = 0;
        }
        return;
    }
    if (pending_.size() >= limits_.maxPending) {
        // The oldest has had the longest to send its request: it goes, the newcomer stays.
        closePending(pending_.begin());
        ++evictedSinceWarning_;
        if (now - lastEvictionWarning_ >= kWarningInterval) {
            lastEvictionWarning_ = now;
            logger_.warn("pre-accept: " + std::to_string(limits_.maxPending) +
                         " connections are waiting for their request; closed the oldest (" +
                         std::to_string(evictedSinceWarning_) + " so far)");
            evictedSinceWarning_ = 0;
        }
    }
    const std::uint64_t token = nextToken_++;
    epoll_event event{};
    // Edge-triggered: the peeked bytes stay in the buffer, so level-triggering would report the
    // socket readable again and again; each new segment or the peer's FIN is a new edge.
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.u64 = token;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event) != 0) {
        logger_.error("pre-accept: cannot watch a new connection: " +
                      std::generic_category().message(errno));
        ::close(fd);
        return;
    }
    // The request may already be there: EPOLL_CTL_ADD reports a socket that is ready at once.
    if (!waitingKey.empty())
        ++waitingByAddress_[waitingKey];
    pending_.push_back(Pending{token, fd, now + limits_.handshakeTimeout, 0, std::move(peer),
                               std::move(waitingKey)});
    byToken_.emplace(token, std::prev(pending_.end()));
    pendingCount_ = pending_.size();
}

void PreAcceptStage::onReadable(std::uint64_t token, std::uint32_t events) {
    const auto found = byToken_.find(token);
    if (found == byToken_.end())
        return;  // closed earlier in this batch of events
    const auto it = found->second;
    ssize_t n = 0;
    do {
        n = ::recv(it->fd, peekBuffer_.data(), peekBuffer_.size(), MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);

    if (n > 0) {
        const std::string_view seen(peekBuffer_.data(), static_cast<std::size_t>(n));
        if (const auto headEnd = findRequestHeadEnd(seen, it->scanned)) {
            release(it, seen.substr(0, *headEnd));
            return;
        }
        it->scanned = seen.size();
        if (seen.size() >= limits_.maxHeadBytes) {
            const int fd = it->fd;
            forget(it);
            answerAndClose(fd, "431 Request Header Fields Too Large", "request head too large");
            return;
        }
    }
    const bool peerGone =
        n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
        (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;  // and the head is not complete
    if (peerGone)
        closePending(it);
}

void PreAcceptStage::release(PendingList::iterator it, std::string_view head) {
    const int fd = it->fd;
    std::optional<std::string> refusal;
    if (admission_ != nullptr && it->peer)
        refusal = admission_->screenHead(*it->peer, head);
    forget(it);
    if (refusal) {
        answerAndClose(fd, "429 Too Many Requests", *refusal);
        ++refusedSinceWarning_;
        const auto now = Clock::now();
        if (now - lastRefusalWarning_ >= kWarningInterval) {
            lastRefusalWarning_ = now;
            logger_.warn("refused a WebSocket upgrade: " + *refusal + " (" +
                         std::to_string(refusedSinceWarning_) + " refused since the last warning)");
            refusedSinceWarning_ = 0;
        }
        return;
    }
    if (!handOff_(fd))
        answerAndClose(fd, "503 Service Unavailable", "server busy, retry shortly");
}

void PreAcceptStage::expire(Clock::time_point now) {
    while (!pending_.empty() && pending_.front().deadline <= now)
        closePending(pending_.begin());
}

PreAcceptStage::PendingList::iterator PreAcceptStage::forget(PendingList::iterator it) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, it->fd, nullptr);
    byToken_.erase(it->token);
    if (!it->waitingKey.empty()) {
        const auto counted = waitingByAddress_.find(it->waitingKey);
        if (counted != waitingByAddress_.end() && --counted->second == 0)
            waitingByAddress_.erase(counted);
    }
    auto next = pending_.erase(it);
    pendingCount_ = pending_.size();
    return next;
}

void PreAcceptStage::closePending(PendingList::iterator it) {
    const int fd = it->fd;
    forget(it);
    ::close(fd);
}

void PreAcceptStage::closeEverything() {
    if (closed_)
        return;
    closed_ = true;
    try {
        listenSocket_.close();
    } catch (const Poco::Exception& e) {
        logger_.warn("pre-accept: closing the listening socket: " + e.displayText());
    }
    listenFd_ = -1;
    for (auto& waiting : pending_)
        ::close(waiting.fd);
    pending_.clear();
    byToken_.clear();
    waitingByAddress_.clear();
    pendingCount_ = 0;
}

}  // namespace fp::websocket
