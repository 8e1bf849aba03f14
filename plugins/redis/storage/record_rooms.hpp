// Which room holds an outbox record, remembered from this instance's claims and failed
// lists, so ack/release/fail/requeue of a record go straight to the room's slot. Record ids
// do not name their room (they are "<sink>/<resultId>"); an id not remembered here is
// looked up in the index instead (RedisStorage::roomOfRecord). Thread-safe; bounded.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace fp::plugins::redis {

class RecordRooms {
  public:
    explicit RecordRooms(std::size_t capacity = 10000) : capacity_(capacity) {}

    void remember(const std::string& recordId, const std::string& roomId) {
        std::lock_guard<std::mutex> lock(mutex_);
        // Forgetting everything is safe (lookups fall back to the index): no LRU needed.
        if (rooms_.size() >= capacity_)
            rooms_.clear();
        rooms_[recordId] = roomId;
    }
    void forget(const std::string& recordId) {
        std::lock_guard<std::mutex> lock(mutex_);
        rooms_.erase(recordId);
    }
    std::optional<std::string> find(const std::string& recordId) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto found = rooms_.find(recordId);
        if (found == rooms_.end())
            return std::nullopt;
        return found->second;
    }

  private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::string> rooms_;
};

}  // namespace fp::plugins::redis
