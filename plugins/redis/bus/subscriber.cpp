#include "subscriber.hpp"

#include <poll.h>

#include <random>

namespace fp::plugins::redis {
namespace {
using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollSlice{100};

fp::sdk::Status unavailable(std::string message) {
    return fp::sdk::Status::failure(fp::sdk::StatusCode::unavailable, std::move(message));
}
}  // namespace

Subscriber::Subscriber(RedisSettings settings, std::chrono::milliseconds pingInterval,
                       Events events, std::shared_ptr<ClusterNodes> nodes)
    : settings_(std::move(settings)),
      pingInterval_(pingInterval),
      events_(std::move(events)),
      nodes_(std::move(nodes)),
      connection_(settings_),
      node_(settings_.address.describe()),
      nodeName_(nodeNameOf(settings_.address)) {}

Subscriber::~Subscriber() {
    stop();
}

void Subscriber::start() {
    connect();
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void Subscriber::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable())
        thread_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    connected_ = false;
    connection_.close();
}

bool Subscriber::openNode(const RedisAddress& address, std::string& error) {
    connection_.setAddress(address);
    if (!connection_.open(error))
        return false;
    // A TCP connect succeeds even against a hung server: only an answer proves it is up.
    ReplyPtr pong;
    if (!connection_.run({"PING"}, pong, error))
        return false;
    if (isError(pong.get())) {
        error = "redis " + address.describe() + " answered: " + text(pong.get());
        connection_.close();
        return false;
    }
    if (nodes_) {
        ReplyPtr known;
        if (!connection_.run({"CLUSTER", "NODES"}, known, error))
            return false;
        if (!isError(known.get()))
            nodes_->learn(text(known.get()), address);
    }
    return true;
}

bool Subscriber::connect() {
    // Only this thread (or start(), before the reader runs) uses the connection while it is
    // down, so opening it needs no lock.
    std::vector<RedisAddress> candidates = {settings_.address};
    if (nodes_) {
        std::lock_guard<std::mutex> lock(mutex_);
        // The node it was on first (it may be back at once), then every other known node.
        candidates = nodes_->startingWith(nodeName_);
    }
    std::string error;
    bool opened = false;
    RedisAddress reached;
    for (const auto& address : candidates) {
        std::string why;
        if (openNode(address, why)) {
            opened = true;
            reached = address;
            break;
        }
        error += (error.empty() ? "" : "; ") + why;
    }
    if (!opened && candidates.size() > 1)
        error = "no node of the cluster answered (" + std::to_string(candidates.size()) +
                " tried): " + error;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!opened) {
        reason_ = error;
        return false;
    }
    node_ = reached.describe();
    nodeName_ = nodeNameOf(reached);
    connected_ = true;
    ++generation_;
    sent_ = confirmed_ = resyncAt_ = 0;
    pingOutstanding_ = false;
    lastPing_ = Clock::now();
    if (!channels_.empty()) {
        Command subscribeAll{"SUBSCRIBE"};
        for (const auto& entry : channels_)
            subscribeAll.push_back(entry.first);
        if (!sendLocked(subscribeAll, channels_.size()))
            return false;
        resyncAt_ = sent_;
        resyncChannels_ = channels_.size();
    }
    everConnected_ = true;
    return true;
}

bool Subscriber::sendLocked(const Command& command, std::size_t confirmations) {
    std::string error;
    if (!connection_.send({command}, error)) {
        disconnectLocked(error);
        return false;
    }
    sent_ += confirmations;
    return true;
}

void Subscriber::disconnectLocked(const std::string& reason) {
    // The reader thread closes the connection; other threads only mark it down.
    if (connected_) {
        connected_ = false;
        reason_ = reason;
        downSince_ = Clock::now();
    }
    changed_.notify_all();
}

fp::sdk::Status Subscriber::subscribe(const std::string& channel) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_ || !connected_)
        return unavailable("bus: subscription connection is down: " + reason_);
    if (++channels_[channel] > 1)
        return fp::sdk::Status::success();
    if (!sendLocked({"SUBSCRIBE", channel}, 1)) {
        channels_.erase(channel);
        return unavailable("bus: subscribing " + channel + " failed: " + reason_);
    }
    const auto target = sent_;
    const auto generation = generation_;
    changed_.wait_for(lock, settings_.commandTimeout, [&] {
        return stopping_ || generation_ != generation || !connected_ || confirmed_ >= target;
    });
    if (generation_ == generation && connected_ && confirmed_ >= target)
        return fp::sdk::Status::success();
    auto it = channels_.find(channel);
    if (it != channels_.end() && --it->second <= 0)
        channels_.erase(it);
    if (generation_ == generation && connected_) {
        disconnectLocked("redis " + node_ + ": no confirmation of SUBSCRIBE within " +
                         std::to_string(settings_.commandTimeout.count()) + " ms");
    }
    return unavailable("bus: subscribing " + channel + " failed: " + reason_);
}

fp::sdk::Status Subscriber::unsubscribe(const std::string& channel) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = channels_.find(channel);
    if (it == channels_.end() || --it->second > 0)
        return fp::sdk::Status::success();
    channels_.erase(it);
    // Messages still on their way for this channel are dropped by the reader.
    if (connected_)
        sendLocked({"UNSUBSCRIBE", channel}, 1);
    return fp::sdk::Status::success();
}

bool Subscriber::isSubscribed(const std::string& channel) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return channels_.count(channel) != 0;
}

std::string Subscriber::node() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return node_;
}

fp::sdk::Readiness Subscriber::readiness() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connected_ && resyncAt_ == 0)
        return {};
    if (connected_)
        return {false, "subscribing every room again after a reconnect"};
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - downSince_).count();
    return {false, "subscription connection down for " + std::to_string(ms) + " ms: " + reason_};
}

void Subscriber::handleReply(const redisReply* reply, std::vector<Incoming>& incoming) {
    if (reply->type == REDIS_REPLY_STATUS && text(reply) == "PONG") {
        pingOutstanding_ = false;
        return;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        disconnectLocked("redis " + node_ + " answered: " + text(reply));
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2)
        return;
    const std::string kind = text(reply->element[0]);
    if (kind == "message" && reply->elements >= 3) {
        std::string channel = text(reply->element[1]);
        if (channels_.count(channel) != 0)
            incoming.push_back({std::move(channel), text(reply->element[2])});
    } else if (kind == "subscribe" || kind == "unsubscribe") {
        ++confirmed_;
        changed_.notify_all();
    } else if (kind == "pong") {
        pingOutstanding_ = false;
    }
}

void Subscriber::readAvailable(std::vector<Incoming>& incoming) {
    std::size_t resubscribed = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!connected_)
            return;
        std::string error;
        if (!connection_.receive(error)) {
            disconnectLocked(error);
            return;
        }
        for (;;) {
            ReplyPtr reply;
            if (!connection_.nextReply(reply, error)) {
                disconnectLocked(error);
                return;
            }
            if (!reply)
                break;
            handleReply(reply.get(), incoming);
            if (!connected_)
                return;
        }
        if (resyncAt_ != 0 && confirmed_ >= resyncAt_) {
            resyncAt_ = 0;
            resubscribed = resyncChannels_;
        }
    }
    for (auto& item : incoming)
        events_.message(item.channel, std::move(item.message));
    incoming.clear();
    if (resubscribed > 0 && events_.resubscribed)
        events_.resubscribed(resubscribed);
}

void Subscriber::maybePing() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!connected_)
        return;
    const auto now = Clock::now();
    if (pingOutstanding_) {
        if (now - lastPing_ > settings_.commandTimeout) {
            disconnectLocked("redis " + node_ + ": no answer to PING within " +
                             std::to_string(settings_.commandTimeout.count()) + " ms");
        }
        return;
    }
    if (now - lastPing_ >= pingInterval_ && sendLocked({"PING"}, 0)) {
        pingOutstanding_ = true;
        lastPing_ = now;
    }
}

void Subscriber::run() {
    std::mt19937 engine(std::random_device{}());
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    auto backoff = settings_.reconnectMin;
    bool reportedUp = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        reportedUp = connected_;
    }
    std::vector<Incoming> incoming;
    for (;;) {
        bool up = false;
        int fd = -1;
        bool buffered = false;
        std::string reason;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_)
                break;
            up = connected_;
            if (!up)
                connection_.close();
            fd = connection_.fd();
            buffered = connection_.hasBufferedInput();
            reason = reason_;
        }
        if (!up) {
            if (reportedUp && events_.changed)
                events_.changed(false, reason);
            reportedUp = false;
            if (connect()) {
                backoff = settings_.reconnectMin;
                reportedUp = true;
                if (events_.changed)
                    events_.changed(true, node());
            } else {
                std::unique_lock<std::mutex> lock(mutex_);
                const auto pause = std::chrono::milliseconds(
                    static_cast<std::int64_t>(backoff.count() * jitter(engine)));
                changed_.wait_for(lock, pause, [this] { return stopping_; });
                backoff = std::min(settings_.reconnectMax, backoff * 2);
            }
            continue;
        }
        pollfd p{};
        p.fd = fd;
        p.events = POLLIN;
        // TLS may hold bytes already taken from the socket, which poll() does not see.
        const int ready = buffered ? 1 : ::poll(&p, 1, static_cast<int>(kPollSlice.count()));
        if (ready > 0)
            readAvailable(incoming);
        maybePing();
    }
}

}  // namespace fp::plugins::redis
