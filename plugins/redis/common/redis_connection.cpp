#include "redis_connection.hpp"

#include <poll.h>
#include <sys/time.h>

#include <cerrno>

namespace fp::plugins::redis {
namespace {
timeval toTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}
}  // namespace

void appendCommand(redisContext* context, const Command& command) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(command.size());
    lengths.reserve(command.size());
    for (const auto& word : command) {
        argv.push_back(word.data());
        lengths.push_back(word.size());
    }
    redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data());
}

RedisConnection::RedisConnection(RedisSettings settings) : settings_(std::move(settings)) {}

RedisConnection::~RedisConnection() {
    close();
}

void RedisConnection::close() {
    if (context_ != nullptr) {
        redisFree(context_);
        context_ = nullptr;
    }
}

void RedisConnection::setAddress(const RedisAddress& address) {
    close();
    settings_.address = address;
}

std::string RedisConnection::failure(const std::string& doing) {
    const int savedErrno = errno;
    std::string why = "connection lost";
    if (context_ != nullptr && context_->err != 0) {
        why = context_->errstr;
        // A blocking read that ran into SO_RCVTIMEO.
        if (context_->err == REDIS_ERR_IO && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK))
            why = "no answer within " + std::to_string(settings_.commandTimeout.count()) + " ms";
    }
    close();
    return "redis " + settings_.address.describe() + ": " + doing + ": " + why;
}

bool RedisConnection::open(std::string& error) {
    close();
    const auto& address = settings_.address;
    context_ = redisConnectWithTimeout(address.host.c_str(), address.port,
                                       toTimeval(settings_.connectTimeout));
    if (context_ == nullptr) {
        error = "redis " + address.describe() + ": cannot allocate a connection";
        return false;
    }
    if (context_->err != 0) {
        error = "redis " + address.describe() + ": connect failed: " + context_->errstr;
        close();
        return false;
    }
    redisSetTimeout(context_, toTimeval(settings_.commandTimeout));
    redisEnableKeepAlive(context_);

    std::vector<Command> setup;
    if (!address.password.empty()) {
        if (address.username.empty())
            setup.push_back({"AUTH", address.password});
        else
            setup.push_back({"AUTH", address.username, address.password});
    }
    if (address.db != 0)
        setup.push_back({"SELECT", std::to_string(address.db)});
    if (setup.empty())
        return true;
    std::vector<ReplyPtr> replies;
    if (!pipeline(setup, replies, error))
        return false;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (isError(replies[i].get())) {
            // Redis's error text never repeats the password.
            error = "redis " + address.describe() + ": " +
                    (setup[i][0] == "AUTH" ? "authentication failed: " : "SELECT failed: ") +
                    text(replies[i].get());
            close();
            return false;
        }
    }
    return true;
}

bool RedisConnection::peerClosed() const {
    if (context_ == nullptr)
        return true;
    pollfd p{};
    p.fd = context_->fd;
    p.events = POLLIN;
    // An idle connection has nothing to read; readable means EOF or a reset.
    return ::poll(&p, 1, 0) > 0;
}

bool RedisConnection::pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                               std::string& error) {
    replies.clear();
    if (context_ == nullptr) {
        error = "redis " + settings_.address.describe() + ": not connected";
        return false;
    }
    for (const auto& command : commands)
        appendCommand(context_, command);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
            error = failure(commands[i].empty() ? "command" : commands[i][0]);
            replies.clear();
            return false;
        }
        replies.emplace_back(static_cast<redisReply*>(raw));
    }
    return true;
}

bool RedisConnection::run(const Command& command, ReplyPtr& reply, std::string& error) {
    std::vector<ReplyPtr> replies;
    if (!pipeline({command}, replies, error))
        return false;
    reply = std::move(replies.front());
    return true;
}

}  // namespace fp::plugins::redis
