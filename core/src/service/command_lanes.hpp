// Where commands run when they do not run on the thread that received them: a fixed set of
// worker threads, one lane per key, so tasks with the same key run in order. A connection's
// messages use its connection id as key; room-level work (sweeps, resyncs, retried
// disconnects) the room's, computed here only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "service/keyed_worker_pool.hpp"

namespace fp::service {

class CommandLanes {
  public:
    explicit CommandLanes(std::size_t threads) : pool_(threads) {}

    // False once the lanes are stopping (nothing runs any more).
    bool postForConnection(std::uint64_t connection, std::function<void()> task) {
        return pool_.post(connection, std::move(task));
    }
    bool postForRoom(const std::string& roomId, std::function<void()> task) {
        return pool_.post(std::hash<std::string>{}(roomId), std::move(task));
    }
    // Runs everything already queued, then stops the threads.
    void drainAndStop() { pool_.drainAndStop(); }
    std::size_t queued() const { return pool_.queued(); }

  private:
    KeyedWorkerPool pool_;
};

}  // namespace fp::service
