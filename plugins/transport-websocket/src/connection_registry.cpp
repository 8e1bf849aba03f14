#include "connection_registry.hpp"

namespace fp::websocket {

void ConnectionRegistry::add(const Entry& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[entry.connection->id()] = entry;
}

void ConnectionRegistry::remove(sdk::ConnectionId id) {
    bool empty = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.erase(id);
        empty = entries_.empty();
    }
    if (empty)
        emptied_.notify_all();
}

std::optional<ConnectionRegistry::Entry> ConnectionRegistry::find(sdk::ConnectionId id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end())
        return std::nullopt;
    return it->second;
}

std::vector<ConnectionRegistry::Entry> ConnectionRegistry::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Entry> all;
    all.reserve(entries_.size());
    for (const auto& [id, entry] : entries_)
        all.push_back(entry);
    return all;
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

bool ConnectionRegistry::waitUntilEmpty(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    return emptied_.wait_until(lock, deadline, [this] { return entries_.empty(); });
}

}  // namespace fp::websocket
