#include "service/room_interest.hpp"

namespace fp::service {

RoomInterest::RoomInterest(fp::sdk::Bus& bus, RoomFanout& fanout, RoomVersions& versions,
                           std::shared_ptr<spdlog::logger> logger)
    : bus_(bus), fanout_(fanout), versions_(versions), logger_(std::move(logger)) {}

fp::sdk::Status RoomInterest::acquire(const std::string& roomId) {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        auto it = rooms_.find(roomId);
        if (it != rooms_.end() && it->second.state == State::subscribed) {
            ++it->second.holders;
            return fp::sdk::Status::success();
        }
        if (it != rooms_.end()) {
            settled_.wait(lock);  // its subscribe or unsubscribe is under way: look again after
            continue;
        }
        rooms_[roomId] = Entry{1, State::subscribing};
        lock.unlock();
        versions_.track(roomId);
        fanout_.openRoom(roomId);
        auto status = bus_.subscribe(roomId);
        if (!status.ok()) {
            fanout_.closeRoom(roomId);
            versions_.untrack(roomId);
        }
        lock.lock();
        if (status.ok())
            rooms_[roomId].state = State::subscribed;
        else
            rooms_.erase(roomId);
        settled_.notify_all();
        return status;
    }
}

void RoomInterest::release(const std::string& roomId) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end() || it->second.state != State::subscribed)
        return;
    if (--it->second.holders > 0)
        return;
    it->second.state = State::unsubscribing;
    lock.unlock();
    auto status = bus_.unsubscribe(roomId);
    if (!status.ok())
        logger_->warn("unsubscribing room {} failed: {}", roomId, status.message);
    fanout_.closeRoom(roomId);
    versions_.untrack(roomId);
    lock.lock();
    rooms_.erase(roomId);
    settled_.notify_all();
}

}  // namespace fp::service
