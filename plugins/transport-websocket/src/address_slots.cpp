#include "address_slots.hpp"

namespace fp::websocket {

AddressSlot::AddressSlot(AddressSlot&& other) noexcept
    : owner_(std::move(other.owner_)), key_(std::move(other.key_)) {
    other.owner_.reset();
}

AddressSlot& AddressSlot::operator=(AddressSlot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        key_ = std::move(other.key_);
        other.owner_.reset();
    }
    return *this;
}

void AddressSlot::release() {
    if (!owner_)
        return;
    owner_->give(key_);
    owner_.reset();
}

std::optional<AddressSlot> AddressSlots::tryTake(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& count = counts_[key];
    if (limit_ != 0 && count >= limit_) {
        if (count == 0)
            counts_.erase(key);
        return std::nullopt;
    }
    ++count;
    return AddressSlot(shared_from_this(), key);
}

bool AddressSlots::full(const std::string& key) const {
    return limit_ != 0 && count(key) >= limit_;
}

std::size_t AddressSlots::count(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = counts_.find(key);
    return it == counts_.end() ? 0 : it->second;
}

std::size_t AddressSlots::addresses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_.size();
}

void AddressSlots::give(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = counts_.find(key);
    if (it == counts_.end())
        return;
    if (--it->second == 0)
        counts_.erase(it);  // the map holds only addresses with connections
}

}  // namespace fp::websocket
