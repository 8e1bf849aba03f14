// Pings Redis on its own connection every interval, so readiness is current even without
// traffic and a recovered server is noticed within one interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "reconnect_gate.hpp"
#include "redis_settings.hpp"

namespace fp::plugins::redis {

class HealthMonitor {
  public:
    // Told when Redis goes from reachable to not (with the reason) and back.
    using ChangeHandler = std::function<void(bool reachable, const std::string& reason)>;

    // `alsoCheck`, when set, runs on the monitor's thread after each ping (storage-redis
    // checks every node of a cluster there).
    HealthMonitor(RedisSettings settings, ReconnectGate& gate, std::chrono::milliseconds interval,
                  ChangeHandler onChange, std::function<void()> alsoCheck = {});
    ~HealthMonitor();
    void start();
    void stop();

  private:
    void run();

    RedisSettings settings_;
    ReconnectGate& gate_;
    std::chrono::milliseconds interval_;
    ChangeHandler onChange_;
    std::function<void()> alsoCheck_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fp::plugins::redis
