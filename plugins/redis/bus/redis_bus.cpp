#include "redis_bus.hpp"

#include <stdexcept>

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

RedisBus::RedisBus(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      settings_(settingsFromOptions(context.options)),
      keys_(settings_.keyPrefix),
      publisher_(settings_, 2),
      nodes_(context.options.getBool("cluster") ? std::make_shared<ClusterNodes>(settings_.address)
                                                : nullptr),
      publishNode_(nodeNameOf(settings_.address)),
      dispatcher_([this](const std::string& roomId) {
          return subscriber_->isSubscribed(keys_.roomChannel(roomId));
      }) {
    if (nodes_ && settings_.address.db != 0)
        throw std::invalid_argument("cluster: Redis Cluster has only database 0, the url names " +
                                    std::to_string(settings_.address.db));
    Subscriber::Events events;
    events.message = [this](const std::string& channel, std::string message) {
        onMessage(channel, std::move(message));
    };
    events.resubscribed = [this](std::size_t channels) {
        if (logger_)
            logger_->info("resubscribed " + std::to_string(channels) +
                          " rooms after a reconnect; reloading them");
        dispatcher_.pushResync();
    };
    events.changed = [this](bool up, const std::string& reason) {
        if (!logger_)
            return;
        if (up && reason != settings_.address.describe())
            logger_->info("subscription connection moved to redis " + reason +
                          ", another node of the cluster");
        else if (up)
            logger_->info("subscription connection to redis " + reason + " is back");
        else
            logger_->error("subscription connection lost: " + reason + "; reconnecting");
    };
    subscriber_ = std::make_unique<Subscriber>(
        settings_, std::chrono::milliseconds(context.options.getInt("pingIntervalMs")),
        std::move(events), nodes_);
}

std::vector<std::string> RedisBus::checkOptions(const fp::sdk::PluginOptions& options) {
    return checkConnectionOptions(options);
}

RedisBus::~RedisBus() {
    stop();
}

Status RedisBus::start() {
    dispatcher_.start();
    subscriber_->start();
    auto ready = subscriber_->readiness();
    if (logger_) {
        if (ready.ready)
            logger_->info("subscribed to redis " + subscriber_->node() + " (key prefix " +
                          settings_.keyPrefix +
                          (nodes_ ? "; cluster of " + std::to_string(nodes_->size()) + " nodes"
                                  : std::string()) +
                          ")");
        else
            logger_->warn(ready.reason + "; will keep trying");
    }
    return Status::success();
}

void RedisBus::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    subscriber_->stop();
    dispatcher_.stop();
    publisher_.close();
    std::lock_guard<std::mutex> lock(publishersMutex_);
    for (auto& [node, pool] : publishers_)
        pool->close();
}

fp::sdk::Readiness RedisBus::readiness() const {
    return subscriber_->readiness();
}

void RedisBus::setListener(fp::sdk::BusListener* listener) {
    dispatcher_.setListener(listener);
}

void RedisBus::onMessage(const std::string& channel, std::string message) {
    auto roomId = keys_.roomOfChannel(channel);
    std::uint64_t version = 0;
    std::string payload;
    if (!roomId || !decodeBusMessage(message, version, payload)) {
        if (logger_)
            logger_->warn("ignored a message on channel " + channel +
                          " that is not <version>\\n<state>");
        return;
    }
    dispatcher_.pushState(std::move(*roomId), version, std::move(payload));
}

ConnectionPool& RedisBus::publisherOf(const RedisAddress& address) {
    const auto name = nodeNameOf(address);
    if (name == nodeNameOf(settings_.address))
        return publisher_;
    std::lock_guard<std::mutex> lock(publishersMutex_);
    auto& pool = publishers_[name];
    if (!pool) {
        RedisSettings settings = settings_;
        settings.address = address;
        pool = std::make_unique<ConnectionPool>(settings, 2);
    }
    return *pool;
}

Status RedisBus::publish(const std::string& roomId, std::uint64_t version,
                         const std::string& payload) {
    const Command command = {"PUBLISH", keys_.roomChannel(roomId),
                             encodeBusMessage(version, payload)};
    std::vector<RedisAddress> candidates = {settings_.address};
    if (nodes_) {
        // The node that took the last publish first; a node that cannot be reached is skipped
        // at once while its connections back off (ReconnectGate).
        std::lock_guard<std::mutex> lock(publishersMutex_);
        candidates = nodes_->startingWith(publishNode_);
    }
    std::string errors;
    for (const auto& address : candidates) {
        std::vector<ReplyPtr> replies;
        std::string error;
        if (!publisherOf(address).pipeline({command}, replies, error)) {
            errors += (errors.empty() ? "" : "; ") + error;
            continue;
        }
        if (nodes_) {
            std::lock_guard<std::mutex> lock(publishersMutex_);
            publishNode_ = nodeNameOf(address);
        }
        if (isError(replies.front().get()))
            return Status::failure(StatusCode::unavailable,
                                   "room " + roomId + ": publish: redis " + address.describe() +
                                       " answered: " + text(replies.front().get()));
        return Status::success();
    }
    if (candidates.size() > 1)
        errors = "no node of the cluster answered (" + std::to_string(candidates.size()) +
                 " tried): " + errors;
    return Status::failure(StatusCode::unavailable, "room " + roomId + ": publish: " + errors);
}

Status RedisBus::subscribe(const std::string& roomId) {
    auto status = subscriber_->subscribe(keys_.roomChannel(roomId));
    if (!status.ok())
        status.message = "room " + roomId + ": " + status.message;
    return status;
}

Status RedisBus::unsubscribe(const std::string& roomId) {
    return subscriber_->unsubscribe(keys_.roomChannel(roomId));
}

}  // namespace fp::plugins::redis
