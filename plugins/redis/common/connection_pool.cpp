#include "connection_pool.hpp"

namespace fp::plugins::redis {

ConnectionPool::ConnectionPool(RedisSettings settings, std::size_t size)
    : settings_(std::move(settings)), gate_(settings_.reconnectMin, settings_.reconnectMax) {
    slots_.resize(std::max<std::size_t>(1, size));
    for (auto& slot : slots_)
        slot.connection = std::make_unique<RedisConnection>(settings_);
}

template <typename Fn>
bool ConnectionPool::withConnection(std::string& error, Fn&& fn) {
    std::size_t index = 0;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        auto freeSlot = [this, &index] {
            for (std::size_t i = 0; i < slots_.size(); ++i) {
                if (!slots_[i].busy) {
                    index = i;
                    return true;
                }
            }
            return false;
        };
        if (!freed_.wait_for(lock, settings_.commandTimeout,
                             [&] { return closed_ || freeSlot(); })) {
            error = "redis " + settings_.address.describe() + ": all " +
                    std::to_string(slots_.size()) + " connections stayed busy for " +
                    std::to_string(settings_.commandTimeout.count()) + " ms";
            return false;
        }
        if (closed_) {
            error = "redis " + settings_.address.describe() + ": the plugin is stopped";
            return false;
        }
        slots_[index].busy = true;
    }
    RedisConnection& connection = *slots_[index].connection;
    bool ok = true;
    if (connection.isOpen() && connection.peerClosed())
        connection.close();
    if (!connection.isOpen()) {
        std::string why;
        if (!gate_.mayAttempt(why)) {
            error = why;
            ok = false;
        } else if (!connection.open(error)) {
            gate_.failed(error);
            ok = false;
        } else {
            roundTrips_.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (ok) {
        ok = fn(connection);
        if (ok)
            gate_.succeeded();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        slots_[index].busy = false;
    }
    freed_.notify_all();
    return ok;
}

bool ConnectionPool::pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                              std::string& error) {
    return withConnection(error, [&](RedisConnection& connection) {
        roundTrips_.fetch_add(1, std::memory_order_relaxed);
        if (connection.pipeline(commands, replies, error))
            return true;
        gate_.failed(error);
        return false;
    });
}

bool ConnectionPool::script(const LuaScript& script, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args, ReplyPtr& reply,
                            std::string& error) {
    return withConnection(error, [&](RedisConnection& connection) {
        int trips = 0;
        const bool ok = script.run(connection, keys, args, reply, error, &trips);
        roundTrips_.fetch_add(static_cast<std::uint64_t>(trips), std::memory_order_relaxed);
        if (!ok)
            gate_.failed(error);
        return ok;
    });
}

bool ConnectionPool::scripts(const std::vector<ScriptCall>& calls, std::vector<ReplyPtr>& replies,
                             std::string& error) {
    return withConnection(error, [&](RedisConnection& connection) {
        int trips = 0;
        const bool ok = runScripts(connection, calls, replies, error, &trips);
        roundTrips_.fetch_add(static_cast<std::uint64_t>(trips), std::memory_order_relaxed);
        if (!ok)
            gate_.failed(error);
        return ok;
    });
}

bool ConnectionPool::warmUp(std::string& error) {
    std::vector<ReplyPtr> replies;
    return pipeline({{"PING"}}, replies, error);
}

void ConnectionPool::close() {
    std::unique_lock<std::mutex> lock(mutex_);
    closed_ = true;
    // Wait for borrowed connections to come back, then close them all.
    freed_.wait(lock, [this] {
        for (const auto& slot : slots_) {
            if (slot.busy)
                return false;
        }
        return true;
    });
    for (auto& slot : slots_)
        slot.connection->close();
    freed_.notify_all();
}

}  // namespace fp::plugins::redis
