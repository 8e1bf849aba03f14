#include "health_monitor.hpp"

#include "redis_connection.hpp"

namespace fp::plugins::redis {

HealthMonitor::HealthMonitor(RedisSettings settings, ReconnectGate& gate,
                             std::chrono::milliseconds interval, ChangeHandler onChange,
                             std::function<void()> alsoCheck)
    : settings_(std::move(settings)),
      gate_(gate),
      interval_(interval),
      onChange_(std::move(onChange)),
      alsoCheck_(std::move(alsoCheck)) {}

HealthMonitor::~HealthMonitor() {
    stop();
}

void HealthMonitor::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable())
        return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void HealthMonitor::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void HealthMonitor::run() {
    RedisConnection connection(settings_);
    bool reachable = !gate_.down();  // start() already reported a failed first connect
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        std::string error;
        if (connection.isOpen() && connection.peerClosed())
            connection.close();
        bool ok = connection.isOpen() || connection.open(error);
        if (ok) {
            ReplyPtr reply;
            ok = connection.run({"PING"}, reply, error);
            if (ok && isError(reply.get())) {
                error = "redis " + settings_.address.describe() + ": " + text(reply.get());
                ok = !isTransientError(text(reply.get()));
            }
        }
        if (ok)
            gate_.succeeded();
        else
            gate_.failed(error);
        if (ok != reachable && onChange_)
            onChange_(ok, error);
        reachable = ok;
        if (alsoCheck_)
            alsoCheck_();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace fp::plugins::redis
