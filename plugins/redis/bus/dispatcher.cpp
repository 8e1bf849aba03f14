#include "dispatcher.hpp"

namespace fp::plugins::redis {

Dispatcher::Dispatcher(std::function<bool(const std::string&)> stillWanted)
    : stillWanted_(std::move(stillWanted)) {}

Dispatcher::~Dispatcher() {
    stop();
}

void Dispatcher::start() {
    std::lock_guard<std::mutex> lock(queueMutex_);
    stopping_ = false;
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void Dispatcher::stop() {
    {
        std::lock_guard<std::mutex> lock(queueMutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void Dispatcher::setListener(fp::sdk::BusListener* listener) {
    std::lock_guard<std::mutex> lock(listenerMutex_);
    listener_ = listener;
}

void Dispatcher::pushState(std::string roomId, std::uint64_t version, std::string payload) {
    {
        std::lock_guard<std::mutex> lock(queueMutex_);
        queue_.push_back({false, std::move(roomId), version, std::move(payload)});
    }
    queued_.notify_one();
}

void Dispatcher::pushResync() {
    {
        std::lock_guard<std::mutex> lock(queueMutex_);
        queue_.push_back({true, {}, 0, {}});
    }
    queued_.notify_one();
}

void Dispatcher::run() {
    for (;;) {
        Event event;
        {
            std::unique_lock<std::mutex> lock(queueMutex_);
            queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty())
                return;  // stopping, nothing left
            event = std::move(queue_.front());
            queue_.pop_front();
        }
        std::lock_guard<std::mutex> lock(listenerMutex_);
        if (listener_ == nullptr)
            continue;
        if (event.resync) {
            listener_->onResync();
        } else if (!stillWanted_ || stillWanted_(event.roomId)) {
            listener_->onRoomState(event.roomId, event.version, event.payload);
        }
    }
}

}  // namespace fp::plugins::redis
