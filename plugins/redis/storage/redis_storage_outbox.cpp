// The outbox half of RedisStorage: records wait in a sorted set by the time they may be
// claimed; a claim pushes that time out by the visibility timeout, so a crashed claimer's
// records come back by themselves.
#include "redis_storage.hpp"
#include "storage_scripts.hpp"

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

namespace {
constexpr std::size_t kMaxFailedListed = 1000;

std::vector<fp::sdk::OutboxRecord> recordsFromReply(const redisReply* reply) {
    std::vector<fp::sdk::OutboxRecord> records;
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY)
        return records;
    for (std::size_t i = 0; i < reply->elements; ++i) {
        if (auto record = recordFromReply(reply->element[i]))
            records.push_back(std::move(*record));
    }
    return records;
}
}  // namespace

std::optional<fp::sdk::OutboxRecord> recordFromReply(const redisReply* reply) {
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements != 8 ||
        isNil(reply->element[0]))
        return std::nullopt;
    fp::sdk::OutboxRecord record;
    record.id = text(reply->element[0]);
    record.sink = text(reply->element[1]);
    record.resultId = text(reply->element[2]);
    record.payload = text(reply->element[3]);
    record.attempts = static_cast<std::uint32_t>(integer(reply->element[4]).value_or(0));
    record.notBeforeMs = integer(reply->element[5]).value_or(0);
    record.createdAtMs = integer(reply->element[6]).value_or(0);
    record.lastError = text(reply->element[7]);
    return record;
}

fp::sdk::ClaimResult RedisStorage::claimOutbox(const std::string& consumerId, std::size_t max,
                                               std::chrono::milliseconds visibility) {
    fp::sdk::ClaimResult result;
    ReplyPtr reply;
    result.status = runScript(scripts::claim(), {keys_.outboxDue(), keys_.outboxCreated()},
                              {keys_.outboxRecordPrefix(), std::to_string(max),
                               std::to_string(visibility.count()), consumerId},
                              reply, "outbox claim by " + consumerId);
    if (result.status.ok())
        result.records = recordsFromReply(reply.get());
    return result;
}

Status RedisStorage::ackOutbox(const std::string& recordId) {
    ReplyPtr reply;
    return runScript(scripts::ack(),
                     {keys_.outboxDue(), keys_.outboxCreated(), keys_.outboxRecord(recordId)},
                     {recordId}, reply, "outbox ack of " + recordId);
}

Status RedisStorage::releaseOutbox(const fp::sdk::OutboxRecord& record) {
    ReplyPtr reply;
    auto status = runScript(scripts::release(), {keys_.outboxDue(), keys_.outboxRecord(record.id)},
                            {record.id, std::to_string(record.attempts),
                             std::to_string(record.notBeforeMs), record.lastError},
                            reply, "outbox release of " + record.id);
    if (status.ok() && integer(reply.get()).value_or(0) != 1)
        return Status::failure(StatusCode::notFound,
                               "outbox record " + record.id + " is not pending");
    return status;
}

Status RedisStorage::failOutbox(const fp::sdk::OutboxRecord& record) {
    ReplyPtr reply;
    return runScript(
        scripts::fail(),
        {keys_.outboxDue(), keys_.outboxCreated(), keys_.outboxFailed(),
         keys_.outboxRecord(record.id)},
        {record.id, record.sink, record.resultId, record.payload, std::to_string(record.attempts),
         std::to_string(record.notBeforeMs), std::to_string(record.createdAtMs), record.lastError},
        reply, "outbox fail of " + record.id);
}

fp::sdk::FailedListResult RedisStorage::listFailedOutbox() {
    fp::sdk::FailedListResult result;
    ReplyPtr reply;
    result.status = runScript(scripts::listFailed(), {keys_.outboxFailed()},
                              {keys_.outboxRecordPrefix(), std::to_string(kMaxFailedListed)}, reply,
                              "outbox failed list");
    if (result.status.ok())
        result.records = recordsFromReply(reply.get());
    return result;
}

Status RedisStorage::requeueFailedOutbox(const std::string& recordId) {
    ReplyPtr reply;
    auto status = runScript(scripts::requeue(),
                            {keys_.outboxFailed(), keys_.outboxDue(), keys_.outboxCreated(),
                             keys_.outboxRecord(recordId)},
                            {recordId}, reply, "outbox requeue of " + recordId);
    if (status.ok() && integer(reply.get()).value_or(0) != 1)
        return Status::failure(StatusCode::notFound, "no failed outbox record " + recordId);
    return status;
}

fp::sdk::OutboxStats RedisStorage::outboxStats() {
    fp::sdk::OutboxStats stats;
    std::vector<ReplyPtr> replies;
    stats.status = runPipeline({{"ZCARD", keys_.outboxDue()},
                                {"ZCARD", keys_.outboxFailed()},
                                {"ZRANGE", keys_.outboxCreated(), "0", "0", "WITHSCORES"}},
                               replies, "outbox stats");
    if (!stats.status.ok())
        return stats;
    stats.pending = static_cast<std::uint64_t>(integer(replies[0].get()).value_or(0));
    stats.failed = static_cast<std::uint64_t>(integer(replies[1].get()).value_or(0));
    const redisReply* oldest = replies[2].get();
    if (oldest->type == REDIS_REPLY_ARRAY && oldest->elements == 2) {
        // Scores come back as text, possibly with an exponent ("1.7e+12").
        stats.oldestPendingCreatedAtMs =
            static_cast<std::int64_t>(std::stod(text(oldest->element[1])));
    }
    return stats;
}

}  // namespace fp::plugins::redis
