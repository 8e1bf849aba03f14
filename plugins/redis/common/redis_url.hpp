// The address of a Redis server, from a URL redis://[[user]:password@]host[:port][/db], or
// rediss://... for TLS (the same default port, 6379: TLS ports vary, Azure's is 6380).
#pragma once

#include <string>

namespace fp::plugins::redis {

struct RedisAddress {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    std::string username;  // Redis 6 ACL user; empty = the default user
    std::string password;  // empty = no AUTH
    bool tls = false;      // rediss://

    // "host:port/db": for logs and errors. Never contains the password.
    std::string describe() const;
};

// Throws std::invalid_argument naming what is wrong; the message never repeats the password.
RedisAddress parseRedisUrl(const std::string& url);

}  // namespace fp::plugins::redis
