#include "redis_reply.hpp"

#include <cerrno>
#include <cstdlib>

namespace fp::plugins::redis {

std::optional<std::int64_t> integer(const redisReply* r) {
    if (r == nullptr)
        return std::nullopt;
    if (r->type == REDIS_REPLY_INTEGER)
        return r->integer;
    if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)
        return std::nullopt;
    const std::string value = text(r);
    if (value.empty())
        return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long long parsed = std::strtoll(value.c_str(), &end, 10);
    if (errno != 0 || end == nullptr || *end != '\0')
        return std::nullopt;
    return parsed;
}

bool isTransientError(const std::string& error) {
    static const char* const prefixes[] = {"LOADING",   "READONLY", "BUSY",     "MASTERDOWN",
                                           "NOAUTH",    "OOM",      "TRYAGAIN", "CLUSTERDOWN",
                                           "WRONGPASS", "NOPERM"};
    for (const char* prefix : prefixes) {
        if (error.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

}  // namespace fp::plugins::redis
