#include "redis_storage.hpp"

#include "storage_scripts.hpp"

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

RedisStorage::RedisStorage(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      settings_(settingsFromOptions(context.options)),
      keys_(settings_.keyPrefix),
      publishOnCommit_(context.options.getBool("publishOnCommit")),
      pool_(settings_, static_cast<std::size_t>(context.options.getInt("poolSize"))) {
    monitor_ = std::make_unique<HealthMonitor>(
        settings_, pool_.gate(), std::chrono::milliseconds(context.options.getInt("healthCheckMs")),
        [this](bool reachable, const std::string& reason) {
            if (!logger_)
                return;
            if (reachable)
                logger_->info("redis " + settings_.address.describe() + " is reachable again");
            else
                logger_->error(reason + ": rooms answer unavailable until it is back");
        });
}

RedisStorage::~RedisStorage() {
    stop();
}

Status RedisStorage::start() {
    std::string error;
    if (pool_.warmUp(error)) {
        if (logger_)
            logger_->info("connected to redis " + settings_.address.describe() + " (key prefix " +
                          settings_.keyPrefix + ")");
    } else if (logger_) {
        // Not fatal: the process keeps running, answers unavailable and connects by itself.
        logger_->warn(error + "; will keep trying");
    }
    monitor_->start();
    return Status::success();
}

void RedisStorage::stop() {
    if (monitor_)
        monitor_->stop();
    pool_.close();
}

fp::sdk::Readiness RedisStorage::readiness() const {
    return pool_.gate().readiness();
}

Status RedisStorage::statusOfReply(const redisReply* reply, const std::string& what) const {
    if (!isError(reply))
        return Status::success();
    const std::string message = text(reply);
    return Status::failure(
        isTransientError(message) ? StatusCode::unavailable : StatusCode::internal,
        what + ": redis " + settings_.address.describe() + " answered: " + message);
}

Status RedisStorage::runScript(const LuaScript& script, const std::vector<std::string>& keys,
                               const std::vector<std::string>& args, ReplyPtr& reply,
                               const std::string& what) {
    std::string error;
    if (!pool_.script(script, keys, args, reply, error))
        return Status::failure(StatusCode::unavailable, what + ": " + error);
    return statusOfReply(reply.get(), what);
}

Status RedisStorage::runPipeline(const std::vector<Command>& commands,
                                 std::vector<ReplyPtr>& replies, const std::string& what) {
    std::string error;
    if (!pool_.pipeline(commands, replies, error))
        return Status::failure(StatusCode::unavailable, what + ": " + error);
    for (const auto& reply : replies) {
        auto status = statusOfReply(reply.get(), what);
        if (!status.ok())
            return status;
    }
    return Status::success();
}

fp::sdk::LoadResult RedisStorage::load(const std::string& roomId) {
    std::vector<ReplyPtr> replies;
    auto status = runPipeline({{"HMGET", keys_.roomDocument(roomId), "v", "json"}}, replies,
                              "room " + roomId);
    if (!status.ok())
        return {status, {}};
    const redisReply* reply = replies.front().get();
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 || isNil(reply->element[0])) {
        return {Status::failure(StatusCode::notFound, "room " + roomId + " not stored"), {}};
    }
    auto version = integer(reply->element[0]);
    if (!version || *version <= 0) {
        return {Status::failure(StatusCode::internal,
                                "room " + roomId + ": stored version is not a number"),
                {}};
    }
    fp::sdk::RoomDocument document;
    document.roomId = roomId;
    document.version = static_cast<std::uint64_t>(*version);
    document.json = text(reply->element[1]);
    return {Status::success(), std::move(document)};
}

fp::sdk::CommitResult RedisStorage::compareAndSwap(const fp::sdk::CommitRequest& request) {
    std::vector<std::string> keys = {keys_.roomDocument(request.roomId), keys_.outboxDue(),
                                     keys_.outboxCreated()};
    std::vector<std::string> args = {
        std::to_string(request.expectedVersion),
        request.json,
        std::to_string(std::chrono::milliseconds(request.ttl).count()),
        publishOnCommit_ ? keys_.roomChannel(request.roomId) : std::string(),
        request.publishPayload,
        std::to_string(request.outbox.size())};
    for (const auto& record : request.outbox) {
        keys.push_back(keys_.outboxRecord(record.id));
        args.insert(args.end(),
                    {record.id, record.sink, record.resultId, record.payload,
                     std::to_string(record.notBeforeMs), std::to_string(record.createdAtMs),
                     std::to_string(record.attempts)});
    }
    ReplyPtr reply;
    const std::string what = "room " + request.roomId + ": compare-and-swap";
    auto status = runScript(scripts::commit(), keys, args, reply, what);
    if (!status.ok())
        return {status, 0};
    const redisReply* r = reply.get();
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2)
        return {Status::failure(StatusCode::internal, what + ": unexpected answer"), 0};
    const auto committed = integer(r->element[0]).value_or(0);
    const auto version = static_cast<std::uint64_t>(integer(r->element[1]).value_or(0));
    if (committed != 1) {
        return {Status::failure(StatusCode::conflict, "room " + request.roomId + " is at version " +
                                                          std::to_string(version) + ", not " +
                                                          std::to_string(request.expectedVersion)),
                version};
    }
    return {Status::success(), version};
}

Status RedisStorage::remove(const std::string& roomId) {
    std::vector<ReplyPtr> replies;
    return runPipeline({{"DEL", keys_.roomDocument(roomId)}}, replies,
                       "room " + roomId + ": remove");
}

Status RedisStorage::heartbeat(const std::string& instanceId, std::chrono::seconds ttl) {
    ReplyPtr reply;
    return runScript(scripts::heartbeat(), {keys_.instances()},
                     {instanceId, std::to_string(std::chrono::milliseconds(ttl).count())}, reply,
                     "heartbeat of " + instanceId);
}

fp::sdk::InstancesResult RedisStorage::liveInstances() {
    ReplyPtr reply;
    fp::sdk::InstancesResult result;
    result.status =
        runScript(scripts::liveInstances(), {keys_.instances()}, {}, reply, "live instances");
    if (!result.status.ok())
        return result;
    if (reply->type == REDIS_REPLY_ARRAY) {
        for (std::size_t i = 0; i < reply->elements; ++i)
            result.liveInstanceIds.push_back(text(reply->element[i]));
    }
    return result;
}

}  // namespace fp::plugins::redis
