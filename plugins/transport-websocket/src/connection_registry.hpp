// Every open connection by id, across all event loops: how send() and close(), called from
// any thread, find a connection and the loop that owns it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "connection.hpp"

namespace fp::websocket {

class EventLoop;

class ConnectionRegistry {
  public:
    struct Entry {
        std::shared_ptr<Connection> connection;
        EventLoop* loop = nullptr;
    };

    void add(const Entry& entry);
    void remove(sdk::ConnectionId id);
    std::optional<Entry> find(sdk::ConnectionId id) const;
    std::vector<Entry> snapshot() const;
    std::size_t size() const;
    // Returns true if the registry emptied before the deadline.
    bool waitUntilEmpty(Clock::time_point deadline);

  private:
    mutable std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<sdk::ConnectionId, Entry> entries_;
};

}  // namespace fp::websocket
