// This instance's interest in rooms: the first local connection of a room subscribes the bus
// (and opens the room in the fan-out and in RoomVersions), the last one unsubscribes. Taken
// before a join commits, so no state published after the commit is missed.
//
// No lock is held across the bus's subscribe or unsubscribe (bus-redis waits for Redis): a
// second join of the same room waits for the first one's subscribe to finish, without holding
// anything every other room needs. Thread-safe.
#pragma once

#include <spdlog/logger.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "firepoker/sdk/bus.hpp"
#include "service/room_fanout.hpp"
#include "service/room_versions.hpp"

namespace fp::service {

class RoomInterest {
  public:
    RoomInterest(fp::sdk::Bus& bus, RoomFanout& fanout, RoomVersions& versions,
                 std::shared_ptr<spdlog::logger> logger);

    fp::sdk::Status acquire(const std::string& roomId);
    void release(const std::string& roomId);

  private:
    enum class State { subscribing, subscribed, unsubscribing };
    struct Entry {
        int holders = 0;
        State state = State::subscribing;
    };

    fp::sdk::Bus& bus_;
    RoomFanout& fanout_;
    RoomVersions& versions_;
    std::shared_ptr<spdlog::logger> logger_;
    std::mutex mutex_;
    std::condition_variable settled_;  // a subscribe or unsubscribe finished
    std::unordered_map<std::string, Entry> rooms_;
};

}  // namespace fp::service
