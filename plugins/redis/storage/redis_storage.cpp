#include "redis_storage.hpp"

#include "storage_scripts.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

RedisStorage::RedisStorage(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      settings_(settingsFromOptions(context.options)),
      keys_(settings_.keyPrefix),
      publishOnCommit_(context.options.getBool("publishOnCommit")),
      router_(settings_, static_cast<std::size_t>(context.options.getInt("poolSize")),
              context.options.getBool("cluster")),
      repairInterval_(std::chrono::seconds(context.options.getInt("outboxRepairSeconds"))) {
    if (router_.clusterMode() && settings_.address.db != 0)
        throw std::invalid_argument("cluster: Redis Cluster has only database 0, the url names " +
                                    std::to_string(settings_.address.db));
    monitor_ = std::make_unique<HealthMonitor>(
        settings_, router_.seed().gate(),
        std::chrono::milliseconds(context.options.getInt("healthCheckMs")),
        [this](bool reachable, const std::string& reason) {
            if (!logger_)
                return;
            if (reachable)
                logger_->info("redis " + settings_.address.describe() + " is reachable again");
            else
                logger_->error(reason + ": rooms answer unavailable until it is back");
        },
        router_.clusterMode() ? std::function<void()>([this] { checkCluster(); })
                              : std::function<void()>());
}

std::vector<std::string> RedisStorage::checkOptions(const fp::sdk::PluginOptions& options) {
    return checkConnectionOptions(options);
}

RedisStorage::~RedisStorage() {
    stop();
}

Status RedisStorage::start() {
    std::string error;
    if (router_.seed().warmUp(error)) {
        if (logger_)
            logger_->info("connected to redis " + settings_.address.describe() + " (key prefix " +
                          settings_.keyPrefix + ")");
    } else if (logger_) {
        // Not fatal: the process keeps running, answers unavailable and connects by itself.
        logger_->warn(error + "; will keep trying");
    }
    if (router_.clusterMode())
        checkCluster();  // readiness is right from the start; then the health thread keeps it
    monitor_->start();
    return Status::success();
}

void RedisStorage::stop() {
    if (monitor_)
        monitor_->stop();
    router_.close();
}

fp::sdk::Readiness RedisStorage::readiness() const {
    if (!router_.clusterMode())
        return router_.seed().gate().readiness();
    std::lock_guard<std::mutex> lock(clusterReadyMutex_);
    return clusterReady_;
}

void RedisStorage::checkCluster() {
    constexpr std::size_t kNamed = 4;  // problems spelled out; the rest are counted
    std::vector<SlotRange> ranges;
    std::string error;
    std::vector<std::string> problems;
    if (!router_.slotRanges(ranges, error)) {
        problems.push_back("the slot map is unknown: " + error);
    } else {
        std::map<std::string, std::string> answers;  // node -> "" when it answered, else why
        for (const auto& range : ranges) {
            const std::string slots =
                "slots " + std::to_string(range.first) + "-" + std::to_string(range.last);
            if (range.node.empty()) {
                problems.push_back(slots + " have no node");
                continue;
            }
            auto answer = answers.find(range.node);
            if (answer == answers.end()) {
                std::vector<ReplyPtr> replies;
                std::string why;
                if (router_.pipelineOn(range.node, {{"PING"}}, replies, why) &&
                    isError(replies.front().get()))
                    why = "redis " + range.node + " answered: " + text(replies.front().get());
                answer = answers.emplace(range.node, why).first;
            }
            if (!answer->second.empty())
                problems.push_back(slots + " on " + range.node +
                                   " do not answer: " + answer->second);
        }
    }
    fp::sdk::Readiness ready;
    if (!problems.empty()) {
        ready.ready = false;
        ready.reason = "redis cluster: ";
        for (std::size_t i = 0; i < problems.size() && i < kNamed; ++i)
            ready.reason += (i ? "; " : "") + problems[i];
        if (problems.size() > kNamed)
            ready.reason += "; and " + std::to_string(problems.size() - kNamed) + " more";
    }
    bool wasReady = false;
    {
        std::lock_guard<std::mutex> lock(clusterReadyMutex_);
        wasReady = clusterReady_.ready;
        clusterReady_ = ready;
    }
    if (logger_ && wasReady != ready.ready) {
        if (ready.ready)
            logger_->info("redis cluster: every slot range's node answers");
        else
            logger_->error(ready.reason);
    }
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
    if (!router_.script(script, keys, args, reply, error))
        return Status::failure(StatusCode::unavailable, what + ": " + error);
    return statusOfReply(reply.get(), what);
}

Status RedisStorage::runScripts(const std::vector<ScriptCall>& calls,
                                std::vector<ReplyPtr>& replies, const std::string& what,
                                std::size_t decisive) {
    std::string error;
    if (!router_.scripts(calls, replies, error))
        return Status::failure(StatusCode::unavailable, what + ": " + error);
    for (std::size_t i = 0; i < replies.size(); ++i) {
        auto status = statusOfReply(replies[i].get(), what);
        if (status.ok())
            continue;
        if (i < decisive)
            return status;
        // A follow-up index write: the change itself is done; the repair makes up for it.
        if (logger_)
            logger_->warn(status.message +
                          " (index write after the change; the repair will redo it)");
    }
    return Status::success();
}

Status RedisStorage::runPipeline(const std::vector<Command>& commands,
                                 std::vector<ReplyPtr>& replies, const std::string& what) {
    std::string error;
    if (!router_.pipeline(commands, replies, error))
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
    const std::string& room = request.roomId;
    std::vector<std::string> keys = {keys_.roomDocument(room), keys_.outboxDue(room),
                                     keys_.outboxCreated(room), keys_.outboxRecords(room)};
    std::vector<std::string> args = {std::to_string(request.expectedVersion),
                                     request.json,
                                     std::to_string(std::chrono::milliseconds(request.ttl).count()),
                                     publishOnCommit_ ? keys_.roomChannel(room) : std::string(),
                                     request.publishPayload,
                                     std::to_string(request.outbox.size())};
    std::int64_t firstDueMs = 0;
    for (std::size_t i = 0; i < request.outbox.size(); ++i) {
        const auto& record = request.outbox[i];
        firstDueMs = i == 0 ? record.notBeforeMs : std::min(firstDueMs, record.notBeforeMs);
        args.insert(args.end(),
                    {record.id, record.sink, record.resultId, record.payload,
                     std::to_string(record.notBeforeMs), std::to_string(record.createdAtMs),
                     std::to_string(record.attempts)});
    }
    std::vector<ScriptCall> calls = {{&scripts::commit(), std::move(keys), std::move(args)}};
    // The index write (its own slot) rides in the same round trip, right behind the commit.
    // After a conflict it only costs a claimer a look at the room; if this process dies
    // before Redis gets it, the repair finds the room (redis_storage_repair.cpp).
    if (!request.outbox.empty())
        calls.push_back(markRoomCall(room, firstDueMs));
    std::vector<ReplyPtr> replies;
    const std::string what = "room " + room + ": compare-and-swap";
    auto status = runScripts(calls, replies, what, 1);
    if (!status.ok())
        return {status, 0};
    const redisReply* r = replies.front().get();
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
