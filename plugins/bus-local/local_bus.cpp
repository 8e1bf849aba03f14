#include "local_bus.hpp"

#include <mutex>

namespace fp::plugins::localbus {

LocalBus::LocalBus(const fp::sdk::PluginContext& /*context*/) {}

void LocalBus::setListener(fp::sdk::BusListener* listener) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    listener_ = listener;
}

fp::sdk::Status LocalBus::publish(const std::string& roomId, std::uint64_t version,
                                  const std::string& payload) {
    fp::sdk::BusListener* listener = nullptr;
    {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        if (subscriptions_.count(roomId) != 0)
            listener = listener_;
    }
    // Called without the lock: the listener may subscribe or unsubscribe in turn.
    if (listener != nullptr)
        listener->onRoomState(roomId, version, payload);
    return fp::sdk::Status::success();
}

fp::sdk::Status LocalBus::subscribe(const std::string& roomId) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    ++subscriptions_[roomId];
    return fp::sdk::Status::success();
}

fp::sdk::Status LocalBus::unsubscribe(const std::string& roomId) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    auto it = subscriptions_.find(roomId);
    if (it != subscriptions_.end() && --it->second <= 0)
        subscriptions_.erase(it);
    return fp::sdk::Status::success();
}

}  // namespace fp::plugins::localbus
