// A fixed set of threads; tasks with the same key run in order on the same thread, so one
// connection's messages are applied in the order they arrived.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fp::service {

class KeyedWorkerPool {
  public:
    explicit KeyedWorkerPool(std::size_t threads);
    ~KeyedWorkerPool();
    KeyedWorkerPool(const KeyedWorkerPool&) = delete;
    KeyedWorkerPool& operator=(const KeyedWorkerPool&) = delete;

    // Returns false once the pool is stopping.
    bool post(std::uint64_t key, std::function<void()> task);
    // Runs everything already queued, then stops the threads.
    void drainAndStop();
    std::size_t queued() const;

  private:
    struct Lane {
        mutable std::mutex mutex;
        std::condition_variable ready;
        std::deque<std::function<void()>> tasks;
        bool stopping = false;
        std::thread thread;
    };
    void run(Lane& lane);

    std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace fp::service
