// A few connections lent to one caller at a time, so the storage can be called from many
// threads without sharing a hiredis context. A connection found closed by the server is
// replaced before use; while Redis is down, calls fail at once (see ReconnectGate).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lua_script.hpp"
#include "reconnect_gate.hpp"
#include "redis_connection.hpp"

namespace fp::plugins::redis {

class ConnectionPool {
  public:
    ConnectionPool(RedisSettings settings, std::size_t size);

    // One round trip for all the commands. False with `error` when Redis cannot be reached
    // or did not answer in time (the caller reports `unavailable`).
    bool pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                  std::string& error);
    bool script(const LuaScript& script, const std::vector<std::string>& keys,
                const std::vector<std::string>& args, ReplyPtr& reply, std::string& error);
    // Several script calls in one round trip (see runScripts for NOSCRIPT).
    bool scripts(const std::vector<ScriptCall>& calls, std::vector<ReplyPtr>& replies,
                 std::string& error);

    // Opens one connection now; false with `error` when Redis cannot be reached yet.
    bool warmUp(std::string& error);
    // Closes every connection; later calls fail.
    void close();

    ReconnectGate& gate() { return gate_; }
    const ReconnectGate& gate() const { return gate_; }
    const RedisSettings& settings() const { return settings_; }
    // Commands sent in one write and answered, counted over all connections (for tests).
    std::uint64_t roundTrips() const { return roundTrips_.load(); }

  private:
    template <typename Fn>
    bool withConnection(std::string& error, Fn&& fn);

    struct Slot {
        std::unique_ptr<RedisConnection> connection;
        bool busy = false;
    };

    RedisSettings settings_;
    ReconnectGate gate_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<Slot> slots_;
    bool closed_ = false;
    std::atomic<std::uint64_t> roundTrips_{0};
};

}  // namespace fp::plugins::redis
