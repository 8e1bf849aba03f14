#include "redis_bus.hpp"

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

RedisBus::RedisBus(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      settings_(settingsFromOptions(context.options)),
      keys_(settings_.keyPrefix),
      publisher_(settings_, 2),
      dispatcher_([this](const std::string& roomId) {
          return subscriber_->isSubscribed(keys_.roomChannel(roomId));
      }) {
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
        if (up)
            logger_->info("subscription connection to redis " + settings_.address.describe() +
                          " is back");
        else
            logger_->error("subscription connection lost: " + reason + "; reconnecting");
    };
    subscriber_ = std::make_unique<Subscriber>(
        settings_, std::chrono::milliseconds(context.options.getInt("pingIntervalMs")),
        std::move(events));
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
            logger_->info("subscribed to redis " + settings_.address.describe() + " (key prefix " +
                          settings_.keyPrefix + ")");
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

Status RedisBus::publish(const std::string& roomId, std::uint64_t version,
                         const std::string& payload) {
    std::vector<ReplyPtr> replies;
    std::string error;
    if (!publisher_.pipeline(
            {{"PUBLISH", keys_.roomChannel(roomId), encodeBusMessage(version, payload)}}, replies,
            error))
        return Status::failure(StatusCode::unavailable, "room " + roomId + ": publish: " + error);
    if (isError(replies.front().get()))
        return Status::failure(StatusCode::unavailable,
                               "room " + roomId + ": publish: redis " +
                                   settings_.address.describe() +
                                   " answered: " + text(replies.front().get()));
    return Status::success();
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
