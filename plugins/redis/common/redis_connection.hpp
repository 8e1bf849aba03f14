// One blocking hiredis connection with connect and command timeouts. Not thread-safe: one
// thread uses it at a time (the pool lends it out; the subscriber owns its own).
#pragma once

#include <hiredis/hiredis.h>

#include <string>
#include <vector>

#include "redis_reply.hpp"
#include "redis_settings.hpp"

namespace fp::plugins::redis {

class RedisConnection {
  public:
    explicit RedisConnection(RedisSettings settings);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    bool isOpen() const { return context_ != nullptr; }
    // Connects, authenticates and selects the database. On failure `error` says why (with
    // the address, never the password) and the connection stays closed.
    bool open(std::string& error);
    // True when the server closed this idle connection (restart, timeout, kill): checked
    // without a round trip, so a stale socket is replaced before a command is sent on it.
    bool peerClosed() const;
    // Sends every command in one write, then reads one reply each: one round trip. On an
    // I/O error or a timeout the connection is closed and false returned with `error`. Error
    // replies (REDIS_REPLY_ERROR) are replies, not failures.
    bool pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                  std::string& error);
    bool run(const Command& command, ReplyPtr& reply, std::string& error);
    void close();

    // For the subscriber's reader: the raw context and socket.
    redisContext* context() { return context_; }
    int fd() const { return context_ != nullptr ? context_->fd : -1; }
    // The text of the context's I/O error, with the address; closes the connection.
    std::string failure(const std::string& doing);
    const RedisSettings& settings() const { return settings_; }
    // Closes the connection; the next open() goes to `address` (another node of a cluster).
    void setAddress(const RedisAddress& address);

  private:
    RedisSettings settings_;
    redisContext* context_ = nullptr;
};

// Appends a command to the context's output buffer (binary-safe).
void appendCommand(redisContext* context, const Command& command);

}  // namespace fp::plugins::redis
