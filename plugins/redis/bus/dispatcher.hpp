// Hands bus events to the core's listener on a thread of its own, in arrival order, so the
// reader thread never waits for the core (the core may hold its locks while it subscribes,
// and a subscription is only confirmed by the reader).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "firepoker/sdk/bus.hpp"

namespace fp::plugins::redis {

class Dispatcher {
  public:
    // `stillWanted(roomId)` is asked right before a state is handed over, so nothing is
    // delivered for a room unsubscribed meanwhile.
    explicit Dispatcher(std::function<bool(const std::string&)> stillWanted);
    ~Dispatcher();

    void start();
    // Delivers what is queued, then stops.
    void stop();
    // Returns after any call in progress has finished; the listener stays valid until then.
    void setListener(fp::sdk::BusListener* listener);

    void pushState(std::string roomId, std::uint64_t version, std::string payload);
    void pushResync();

  private:
    struct Event {
        bool resync = false;
        std::string roomId;
        std::uint64_t version = 0;
        std::string payload;
    };
    void run();

    std::function<bool(const std::string&)> stillWanted_;
    std::mutex queueMutex_;
    std::condition_variable queued_;
    std::deque<Event> queue_;
    bool stopping_ = false;
    std::mutex listenerMutex_;  // held while the listener is called
    fp::sdk::BusListener* listener_ = nullptr;
    std::thread thread_;
};

}  // namespace fp::plugins::redis
