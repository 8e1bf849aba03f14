// One connection to Redis, plain or TLS (rediss://), with connect and command timeouts.
// The protocol is hiredis's: commands are formatted by redisFormatCommandArgv and answers
// parsed by its redisReader; the bytes go through a RedisStream (a socket, with TLS over it
// when the settings carry a TlsClient). Not thread-safe: one thread uses it at a time (the
// pool lends it out; the subscriber owns its own).
#pragma once

#include <hiredis/hiredis.h>

#include <string>
#include <vector>

#include "redis_reply.hpp"
#include "redis_settings.hpp"
#include "redis_stream.hpp"

namespace fp::plugins::redis {

class RedisConnection {
  public:
    explicit RedisConnection(RedisSettings settings);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    bool isOpen() const { return stream_.isOpen(); }
    // Connects (and with rediss:// makes the TLS handshake), authenticates and selects the
    // database. On failure `error` says why (with the address, never the password) and the
    // connection stays closed.
    bool open(std::string& error);
    // True when the server closed this idle connection (restart, timeout, kill): checked
    // without a round trip, so a stale socket is replaced before a command is sent on it.
    bool peerClosed();
    // Sends every command in one write, then reads one reply each: one round trip. On an
    // I/O error or a timeout the connection is closed and false returned with `error`. Error
    // replies (REDIS_REPLY_ERROR) are replies, not failures.
    bool pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                  std::string& error);
    bool run(const Command& command, ReplyPtr& reply, std::string& error);
    void close();

    // For the subscriber, which reads answers as they come (pub/sub). These leave the
    // connection open when they fail; its owner closes it.
    // Writes the commands (one write, within commandTimeoutMs); reads nothing.
    bool send(const std::vector<Command>& commands, std::string& error);
    // Takes in what the server sent so far (up to a few reads), without waiting. False
    // when the connection was closed or failed.
    bool receive(std::string& error);
    // The last receive() stopped at its limit of reads while TLS still holds bytes, which
    // poll() on fd() does not see: receive() again without waiting.
    bool hasBufferedInput() const { return !drained_ && stream_.sessionHasBytes(); }
    // The next complete reply taken in (null when none is complete yet). False on a
    // protocol error.
    bool nextReply(ReplyPtr& reply, std::string& error);
    int fd() const { return stream_.fd(); }

    const RedisSettings& settings() const { return settings_; }
    // Closes the connection; the next open() goes to `address` (another node of a cluster).
    void setAddress(const RedisAddress& address);

  private:
    // Formats the commands into one buffer and writes it, within commandTimeoutMs.
    RedisStream::Result write(const std::vector<Command>& commands, std::string& why);
    // "redis host:port/db: <doing>: <why>"; a timeout names `limit`, a connection closed
    // before its first answer the usual cause.
    std::string describe(const std::string& doing, RedisStream::Result result,
                         const std::string& why, std::chrono::milliseconds limit) const;

    RedisSettings settings_;
    RedisStream stream_;
    redisReader* reader_ = nullptr;
    std::string output_;     // formatted commands of one write (kept for its capacity)
    bool answered_ = false;  // a reply came on this connection
    bool drained_ = true;    // the last receive() read until nothing was left
};

}  // namespace fp::plugins::redis
