#include "event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <future>
#include <system_error>
#include <utility>

#include "frame_codec.hpp"

namespace fp::websocket {
namespace {

constexpr std::uint64_t kWakeToken = 0;                         // connection ids start at 1
constexpr auto kTickInterval = std::chrono::milliseconds(100);  // pings, idle, close deadlines
constexpr std::size_t kReadBufferBytes = 64 * 1024;
constexpr int kMaxEventsPerWait = 256;

// The loop whose thread is handing messages to the host right now (see addToBatch).
thread_local EventLoop* tBatchingLoop = nullptr;

std::system_error systemError(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

}  // namespace

EventLoop::EventLoop(std::string name, LoopServices services)
    : name_(std::move(name)), services_(services), readBuffer_(kReadBufferBytes) {
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd_ < 0)
        throw systemError(name_ + ": epoll_create1 failed");
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakeFd_ < 0) {
        ::close(epollFd_);
        throw systemError(name_ + ": eventfd failed");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeToken;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &event) != 0) {
        auto error = systemError(name_ + ": cannot watch the eventfd");
        ::close(wakeFd_);
        ::close(epollFd_);
        throw error;
    }
}

EventLoop::~EventLoop() {
    stop();
    ::close(wakeFd_);
    ::close(epollFd_);
}

void EventLoop::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_ || stopRequested_)
        return;
    running_ = true;
    thread_ = std::thread([this] { run(); });
    loopThreadId_ = thread_.get_id();
}

void EventLoop::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopRequested_ = true;
    }
    wake();
    if (thread_.joinable())
        thread_.join();
}

void EventLoop::adopt(std::shared_ptr<Connection> connection, std::string initialBytes) {
    post([this, connection = std::move(connection), bytes = std::move(initialBytes)]() {
        if (shuttingDown_)
            return;  // the socket closes with the Connection
        const auto id = connection->id();
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.u64 = id;
        if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, connection->fd(), &event) != 0) {
            services_.logger->error(name_ + ": cannot watch connection " + std::to_string(id) +
                                    ": " + std::generic_category().message(errno));
            return;
        }
        connections_[id] = connection;
        timerScanInterval_ = std::max<Clock::duration>(
            kTickInterval, std::min(timerScanInterval_, connection->timerSlack()));
        services_.registry->add({connection, this});
        services_.logger->debug("connection " + std::to_string(id) + " opened from " +
                                connection->info().remoteAddress);
        try {
            services_.host->onConnectionOpened(id, connection->info());
        } catch (const std::exception& e) {
            services_.logger->error("host onConnectionOpened threw: " + std::string(e.what()));
        }
        const auto now = Clock::now();
        if (!bytes.empty()) {
            std::vector<std::string> messages;
            connection->consume(bytes, messages, now);
            deliver(id, messages);
        }
        afterActivity(connection, now);
    });
}

void EventLoop::post(std::function<void()> task) {
    bool mustWake = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopRequested_ && !running_)
            return;
        tasks_.push_back(std::move(task));
        mustWake = !wakePending_;
        wakePending_ = true;
    }
    if (mustWake)
        wake();
}

void EventLoop::scheduleFlush(sdk::ConnectionId id) {
    bool mustWake = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        flushRequests_.push_back(id);
        mustWake = !wakePending_;
        wakePending_ = true;
    }
    if (mustWake)
        wake();
}

void EventLoop::wake() {
    const std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the loop will wake anyway.
    (void)!::write(wakeFd_, &one, sizeof one);
}

void EventLoop::runAndWait(const std::function<void()>& task) {
    if (std::this_thread::get_id() == loopThreadId_) {
        task();
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!running_ || stopRequested_)
            return;
    }
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    post([&task, done] {
        task();
        done->set_value();
    });
    // A broken promise (the loop stopped first) also ends the wait.
    finished.wait();
}

void EventLoop::run() {
    epoll_event events[kMaxEventsPerWait];
    auto nextTick = Clock::now() + kTickInterval;
    for (;;) {
        const auto untilTick =
            std::chrono::duration_cast<std::chrono::milliseconds>(nextTick - Clock::now());
        const int timeoutMs = untilTick.count() > 0 ? static_cast<int>(untilTick.count()) : 0;
        const int ready = ::epoll_wait(epollFd_, events, kMaxEventsPerWait, timeoutMs);
        if (ready < 0 && errno != EINTR) {
            services_.logger->error(
                name_ + ": epoll_wait failed: " + std::generic_category().message(errno));
        }
        for (int i = 0; i < ready; ++i) {
            if (events[i].data.u64 == kWakeToken) {
                std::uint64_t count = 0;
                (void)!::read(wakeFd_, &count, sizeof count);
            } else {
                onSocketEvent(events[i].data.u64, events[i].events);
            }
        }
        runPendingWork();
        const auto now = Clock::now();
        if (now >= nextTick) {
            onTick(now);
            nextTick = now + kTickInterval;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopRequested_)
            break;
    }
    shutDownConnections();
}

void EventLoop::runPendingWork() {
    std::vector<std::function<void()>> tasks;
    std::vector<sdk::ConnectionId> flushes;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        tasks.swap(tasks_);
        flushes.swap(flushRequests_);
        wakePending_ = false;
    }
    for (auto& task : tasks)
        task();
    const auto now = Clock::now();
    for (auto id : flushes) {
        auto it = connections_.find(id);
        if (it == connections_.end())
            continue;
        auto connection = it->second;
        connection->clearFlushScheduled();  // before flushing: later sends schedule again
        afterActivity(connection, now);
    }
}

void EventLoop::onSocketEvent(sdk::ConnectionId id, std::uint32_t events) {
    auto it = connections_.find(id);
    if (it == connections_.end())
        return;
    auto connection = it->second;  // keeps it alive through the host callbacks
    const auto now = Clock::now();
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
        std::vector<std::string> messages;
        connection->onReadable(readBuffer_.data(), readBuffer_.size(), messages, now);
        deliver(id, messages);
    }
    if (!connection->finalized)
        afterActivity(connection, now);
}

void EventLoop::deliver(sdk::ConnectionId id, std::vector<std::string>& messages) {
    if (messages.empty())
        return;
    tBatchingLoop = this;
    for (auto& text : messages) {
        try {
            services_.host->onTextMessage(id, std::move(text));
        } catch (const std::exception& e) {
            services_.logger->error("host onTextMessage threw for connection " +
                                    std::to_string(id) + ": " + e.what());
        }
    }
    tBatchingLoop = nullptr;
    // What the host sent to this loop's connections meanwhile: one write each.
    const auto now = Clock::now();
    std::vector<std::shared_ptr<Connection>> written;
    written.swap(batch_);
    for (const auto& connection : written) {
        connection->inBatch = false;
        afterActivity(connection, now);
    }
    written.clear();
    if (batch_.empty())
        batch_.swap(written);  // keeps the capacity for the next batch
}

EventLoop* EventLoop::batchingOnThisThread() {
    return tBatchingLoop;
}

void EventLoop::addToBatch(const std::shared_ptr<Connection>& connection,
                           const sdk::SharedOutbound& message) {
    if (connection->finalized)
        return;
    connection->enqueue(message);
    if (!connection->inBatch) {
        connection->inBatch = true;
        batch_.push_back(connection);
    }
}

void EventLoop::onTick(Clock::time_point now) {
    // Only connections with a close under way every tick, and those with a ping or idle
    // timeout due every timerScanInterval_: with thousands of idle connections, visiting each
    // one (four locks) every tick was most of an idle server's CPU.
    std::vector<std::shared_ptr<Connection>> due;
    if (now >= nextTimerScan_) {
        nextTimerScan_ = now + timerScanInterval_;
        for (const auto& [id, connection] : connections_) {
            if (now >= connection->nextTimerAt() || closing_.count(id) != 0)
                due.push_back(connection);
        }
    } else {
        for (const auto id : closing_) {
            auto it = connections_.find(id);
            if (it != connections_.end())
                due.push_back(it->second);
        }
    }
    for (const auto& connection : due) {
        if (connection->finalized)
            continue;
        connection->onTimer(now);
        afterActivity(connection, now);
    }
}

void EventLoop::afterActivity(const std::shared_ptr<Connection>& connection,
                              Clock::time_point now) {
    if (connection->finalized)
        return;
    if (connection->overflowed()) {
        services_.logger->warn("connection " + std::to_string(connection->id()) + " from " +
                               connection->info().remoteAddress +
                               " closed: its send queue overflowed (client not reading)");
        connection->abort(closecode::policyViolation);
        finalize(connection);
        return;
    }
    const bool pending = connection->flush();
    if (connection->finished(now)) {
        finalize(connection);
        return;
    }
    setWriteInterest(*connection, pending);
    if (connection->closing())
        closing_.insert(connection->id());
}

void EventLoop::setWriteInterest(Connection& connection, bool wanted) {
    if (connection.watchingWritable == wanted)
        return;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (wanted ? EPOLLOUT : 0u);
    event.data.u64 = connection.id();
    if (::epoll_ctl(epollFd_, EPOLL_CTL_MOD, connection.fd(), &event) == 0) {
        connection.watchingWritable = wanted;
    }
}

void EventLoop::finalize(const std::shared_ptr<Connection>& connection) {
    if (connection->finalized)
        return;
    connection->finalized = true;
    const auto id = connection->id();
    if (connection->fd() >= 0)
        ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, connection->fd(), nullptr);
    connection->closeSocket();
    connections_.erase(id);
    closing_.erase(id);
    services_.registry->remove(id);
    const auto code = connection->closeCode();
    services_.logger->debug("connection " + std::to_string(id) + " closed with " +
                            std::to_string(code));
    try {
        services_.host->onConnectionClosed(id, code);
    } catch (const std::exception& e) {
        services_.logger->error("host onConnectionClosed threw: " + std::string(e.what()));
    }
}

void EventLoop::abortAll(std::uint16_t code) {
    std::vector<std::shared_ptr<Connection>> all;
    for (const auto& [id, connection] : connections_)
        all.push_back(connection);
    for (const auto& connection : all) {
        connection->abort(code);
        finalize(connection);
    }
}

void EventLoop::shutDownConnections() {
    shuttingDown_ = true;
    // Tasks posted before the stop still run (a waiting runAndWait is released); adopt
    // tasks see shuttingDown_ and just drop their socket.
    for (;;) {
        std::vector<std::function<void()>> tasks;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            tasks.swap(tasks_);
            flushRequests_.clear();
            if (tasks.empty()) {
                running_ = false;
                break;
            }
        }
        for (auto& task : tasks)
            task();
    }
    abortAll(closecode::goingAway);
}

}  // namespace fp::websocket
