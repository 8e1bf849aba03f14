// A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet
// (NOSCRIPT: first use, or after a Redis restart emptied the script cache).
#pragma once

#include <string>
#include <vector>

#include "redis_connection.hpp"

namespace fp::plugins::redis {

class LuaScript {
  public:
    LuaScript(std::string name, std::string source);
    const std::string& name() const { return name_; }
    const std::string& source() const { return source_; }
    const std::string& sha1() const { return sha1_; }

    // EVALSHA (one round trip), then EVAL only on NOSCRIPT. False with `error` on an I/O
    // failure; an error reply is returned as the reply. `roundTrips` (if given) gets 1 or 2.
    bool run(RedisConnection& connection, const std::vector<std::string>& keys,
             const std::vector<std::string>& args, ReplyPtr& reply, std::string& error,
             int* roundTrips = nullptr) const;

  private:
    std::string name_;
    std::string source_;
    std::string sha1_;
};

// One call of a script: the script, its keys (all of one hash slot) and its arguments.
struct ScriptCall {
    const LuaScript* script = nullptr;
    std::vector<std::string> keys;
    std::vector<std::string> args;
};

// Sends every call in one write (EVALSHA each) and reads the replies, in call order. When a
// call answered NOSCRIPT, it and every call after it are sent again with EVAL (one more
// round trip): calls after it ran twice then, so batch only calls that may (index marks and
// settles after the call that matters). `roundTrips` (if given) gets 1 or 2.
bool runScripts(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                std::vector<ReplyPtr>& replies, std::string& error, int* roundTrips = nullptr);

}  // namespace fp::plugins::redis
