// Owned hiredis replies and small readers for them.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fp::plugins::redis {

struct ReplyDeleter {
    void operator()(redisReply* reply) const {
        if (reply != nullptr)
            freeReplyObject(reply);
    }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// One command: its words, sent binary-safe.
using Command = std::vector<std::string>;

inline bool isError(const redisReply* r) {
    return r != nullptr && r->type == REDIS_REPLY_ERROR;
}
inline bool isNil(const redisReply* r) {
    return r == nullptr || r->type == REDIS_REPLY_NIL;
}
inline std::string text(const redisReply* r) {
    if (r == nullptr || r->str == nullptr)
        return {};
    return std::string(r->str, r->len);
}
// An integer reply, or a string holding one (Redis sends scores and hash fields as text).
std::optional<std::int64_t> integer(const redisReply* r);

// Errors Redis answers while it cannot serve (loading, read-only replica, busy script, out
// of memory, not authenticated): the command changed nothing and may work later.
bool isTransientError(const std::string& error);

}  // namespace fp::plugins::redis
