#include "redis_connection.hpp"

#include <memory>

namespace fp::plugins::redis {
namespace {
using Clock = RedisStream::Clock;
using Result = RedisStream::Result;

// What one read takes from the socket at most (hiredis reads 16 KiB at a time too).
constexpr std::size_t kReadChunk = 16 * 1024;
// The output buffer kept between writes at most (room documents are a few KiB).
constexpr std::size_t kKeptOutputCapacity = 256 * 1024;

struct FormattedDeleter {
    void operator()(char* formatted) const { redisFreeCommand(formatted); }
};
}  // namespace

RedisConnection::RedisConnection(RedisSettings settings) : settings_(std::move(settings)) {}

RedisConnection::~RedisConnection() {
    close();
}

void RedisConnection::close() {
    stream_.close();
    if (reader_ != nullptr) {
        redisReaderFree(reader_);
        reader_ = nullptr;
    }
}

void RedisConnection::setAddress(const RedisAddress& address) {
    close();
    settings_.address = address;
}

std::string RedisConnection::describe(const std::string& doing, Result result,
                                      const std::string& why,
                                      std::chrono::milliseconds limit) const {
    std::string text = why;
    if (result == Result::timedOut) {
        text = "no answer within " + std::to_string(limit.count()) + " ms";
        if (why.rfind("TLS handshake", 0) == 0)
            text = why + ": " + text +
                   " (a plain port does not answer one: is the url meant to be redis://?)";
    } else if (result == Result::closed) {
        text = "the server closed the connection" + (why.empty() ? "" : " (" + why + ")");
        // Closed before any answer: the usual causes, which the server does not tell.
        if (!answered_ && !settings_.tls)
            text +=
                " before answering: a TLS port does that to plain connections (is the "
                "url meant to be rediss://?)";
        else if (!answered_ && settings_.tls->options().certFile.empty())
            text +=
                " before answering: a server that requires a client certificate does "
                "that (tls-auth-clients; set tlsCertFile and tlsKeyFile)";
    }
    return "redis " + settings_.address.describe() + ": " + doing + ": " + text;
}

bool RedisConnection::open(std::string& error) {
    close();
    answered_ = false;
    drained_ = true;
    const auto& address = settings_.address;
    std::string why;
    const Result connected =
        stream_.connect(address.host, address.port, settings_.tls.get(),
                        Clock::now() + settings_.connectTimeout, settings_.commandTimeout, why);
    if (connected != Result::ok) {
        error = describe("connect failed", connected, why, settings_.connectTimeout);
        close();
        return false;
    }
    reader_ = redisReaderCreate();
    if (reader_ == nullptr) {
        error = "redis " + address.describe() + ": cannot allocate a reply reader";
        close();
        return false;
    }

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

bool RedisConnection::peerClosed() {
    return stream_.idleClosed();
}

Result RedisConnection::write(const std::vector<Command>& commands, std::string& why) {
    output_.clear();
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& command : commands) {
        argv.clear();
        lengths.clear();
        argv.reserve(command.size());
        lengths.reserve(command.size());
        for (const auto& word : command) {
            argv.push_back(word.data());
            lengths.push_back(word.size());
        }
        char* formatted = nullptr;
        const int length = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()),
                                                  argv.data(), lengths.data());
        const std::unique_ptr<char, FormattedDeleter> owned(formatted);
        if (length < 0 || formatted == nullptr) {
            why = "cannot format the command (out of memory)";
            return Result::failed;
        }
        output_.append(formatted, static_cast<std::size_t>(length));
    }
    const Result written =
        stream_.write(output_.data(), output_.size(), Clock::now() + settings_.commandTimeout, why);
    // Keep the buffer for the next write, unless one huge command made it so.
    if (output_.capacity() > kKeptOutputCapacity)
        std::string().swap(output_);
    return written;
}

bool RedisConnection::pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                               std::string& error) {
    replies.clear();
    if (!isOpen() || reader_ == nullptr) {
        error = "redis " + settings_.address.describe() + ": not connected";
        return false;
    }
    const auto name = [&commands](std::size_t i) {
        return commands[i].empty() ? std::string("command") : commands[i][0];
    };
    std::string why;
    Result result = write(commands, why);
    if (result != Result::ok) {
        error = describe(name(0), result, why, settings_.commandTimeout);
        close();
        return false;
    }
    char buffer[kReadChunk];
    while (replies.size() < commands.size()) {
        void* raw = nullptr;
        if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
            error = describe(name(replies.size()), Result::failed,
                             std::string("protocol error: ") + reader_->errstr,
                             settings_.commandTimeout);
            replies.clear();
            close();
            return false;
        }
        if (raw != nullptr) {
            replies.emplace_back(static_cast<redisReply*>(raw));
            answered_ = true;
            continue;
        }
        std::size_t got = 0;
        result = stream_.read(buffer, sizeof(buffer), got, why);
        if (result != Result::ok) {
            error = describe(name(replies.size()), result, why, settings_.commandTimeout);
            replies.clear();
            close();
            return false;
        }
        redisReaderFeed(reader_, buffer, got);
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

bool RedisConnection::send(const std::vector<Command>& commands, std::string& error) {
    if (!isOpen()) {
        error = "redis " + settings_.address.describe() + ": not connected";
        return false;
    }
    std::string why;
    const Result result = write(commands, why);
    if (result != Result::ok) {
        error = describe(commands.empty() || commands[0].empty() ? "command" : commands[0][0],
                         result, why, settings_.commandTimeout);
        return false;
    }
    return true;
}

bool RedisConnection::receive(std::string& error) {
    if (!isOpen() || reader_ == nullptr) {
        error = "redis " + settings_.address.describe() + ": not connected";
        return false;
    }
    // A bounded number of reads, so a busy connection does not hold its owner's lock for
    // long; what is left is seen by the next poll() or hasBufferedInput().
    // (A TLS read that returns nothing has taken in every complete record: what it still
    // holds is part of one, and the rest will wake poll().)
    constexpr int kMaxReads = 8;
    char buffer[kReadChunk];
    drained_ = false;
    for (int i = 0; i < kMaxReads && !drained_; ++i) {
        std::size_t got = 0;
        std::string why;
        const Result result = stream_.readAvailable(buffer, sizeof(buffer), got, why);
        if (result != Result::ok) {
            error = describe("read", result, why, settings_.commandTimeout);
            return false;
        }
        drained_ = got == 0;
        if (got > 0)
            redisReaderFeed(reader_, buffer, got);
    }
    return true;
}

bool RedisConnection::nextReply(ReplyPtr& reply, std::string& error) {
    reply.reset();
    if (reader_ == nullptr) {
        error = "redis " + settings_.address.describe() + ": not connected";
        return false;
    }
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
        error = "redis " + settings_.address.describe() +
                ": protocol error: " + std::string(reader_->errstr);
        return false;
    }
    if (raw != nullptr) {
        reply.reset(static_cast<redisReply*>(raw));
        answered_ = true;
    }
    return true;
}

}  // namespace fp::plugins::redis
