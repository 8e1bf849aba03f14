#include "service/keyed_worker_pool.hpp"

namespace fp::service {

KeyedWorkerPool::KeyedWorkerPool(std::size_t threads) {
    if (threads == 0)
        threads = 1;
    for (std::size_t i = 0; i < threads; ++i)
        lanes_.push_back(std::make_unique<Lane>());
    for (auto& lane : lanes_) {
        Lane* l = lane.get();
        lane->thread = std::thread([this, l] { run(*l); });
    }
}

KeyedWorkerPool::~KeyedWorkerPool() {
    drainAndStop();
}

bool KeyedWorkerPool::post(std::uint64_t key, std::function<void()> task) {
    Lane& lane = *lanes_[key % lanes_.size()];
    {
        std::lock_guard<std::mutex> lock(lane.mutex);
        if (lane.stopping)
            return false;
        lane.tasks.push_back(std::move(task));
    }
    lane.ready.notify_one();
    return true;
}

void KeyedWorkerPool::drainAndStop() {
    for (auto& lane : lanes_) {
        {
            std::lock_guard<std::mutex> lock(lane->mutex);
            lane->stopping = true;
        }
        lane->ready.notify_all();
    }
    for (auto& lane : lanes_) {
        if (lane->thread.joinable())
            lane->thread.join();
    }
}

std::size_t KeyedWorkerPool::queued() const {
    std::size_t total = 0;
    for (const auto& lane : lanes_) {
        std::lock_guard<std::mutex> lock(lane->mutex);
        total += lane->tasks.size();
    }
    return total;
}

void KeyedWorkerPool::run(Lane& lane) {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(lane.mutex);
            lane.ready.wait(lock, [&lane] { return lane.stopping || !lane.tasks.empty(); });
            if (lane.tasks.empty())
                return;  // stopping and drained
            task = std::move(lane.tasks.front());
            lane.tasks.pop_front();
        }
        task();
    }
}

}  // namespace fp::service
