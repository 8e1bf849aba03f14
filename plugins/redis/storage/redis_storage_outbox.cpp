// The outbox half of RedisStorage. A room's records live in the room's own hash slot, next to
// its document, so the commit that finalizes a round writes both atomically. An index in
// the {outbox} slot names the rooms that may have something due, with the time to look:
// claims read the index, claim in each room's slot, then settle the room's index entry.
// The index is a hint kept safe by marks (a change marks its room; a claimer's settle only
// applies when no mark came since) and by the repair (redis_storage_repair.cpp).
#include "redis_storage.hpp"
#include "storage_scripts.hpp"

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

namespace {
constexpr std::size_t kMaxFailedListed = 1000;
// Rooms looked through for a record this instance did not claim or list itself.
constexpr const char* kMaxRoomsSearched = "9999";
// Failed records whose room is unknown (not found in the index) are kept under this room id.
const std::string kUnknownRoom;

std::vector<fp::sdk::OutboxRecord> recordsFromReply(const redisReply* reply, std::size_t from) {
    std::vector<fp::sdk::OutboxRecord> records;
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY)
        return records;
    for (std::size_t i = from; i < reply->elements; ++i) {
        if (auto record = recordFromReply(reply->element[i]))
            records.push_back(std::move(*record));
    }
    return records;
}

// The words of an array reply (ZRANGE, ZRANGE WITHSCORES...).
std::vector<std::string> wordsOf(const redisReply* reply) {
    std::vector<std::string> words;
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY) {
        for (std::size_t i = 0; i < reply->elements; ++i)
            words.push_back(text(reply->element[i]));
    }
    return words;
}

// Scores come back as text, possibly with an exponent ("1.7e+12").
std::int64_t scoreOf(const std::string& word) {
    try {
        return static_cast<std::int64_t>(std::stod(word));
    } catch (const std::exception&) {
        return 0;
    }
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

ScriptCall RedisStorage::markRoomCall(const std::string& roomId, std::int64_t dueMs) const {
    return {&scripts::markRoom(),
            {keys_.outboxRooms(), keys_.outboxMarks(), keys_.outboxMarkSeq()},
            {roomId, std::to_string(dueMs)}};
}

ScriptCall RedisStorage::markFailedRoomCall(const std::string& roomId) const {
    return {
        &scripts::markFailedRoom(), {keys_.outboxFailedRooms(), keys_.outboxMarkSeq()}, {roomId}};
}

std::optional<std::string> RedisStorage::roomOfRecord(const std::string& recordId, bool failed,
                                                      Status& status) {
    status = Status::success();
    if (auto room = recordRooms_.find(recordId))
        return room;
    const std::string what = "outbox: finding the room of record " + recordId;
    std::vector<ReplyPtr> replies;
    status = runPipeline({{"ZRANGE", failed ? keys_.outboxFailedRooms() : keys_.outboxRooms(), "0",
                           kMaxRoomsSearched}},
                         replies, what);
    if (!status.ok())
        return std::nullopt;
    const auto rooms = wordsOf(replies.front().get());
    if (rooms.empty())
        return std::nullopt;
    std::vector<Command> lookups;
    for (const auto& room : rooms)
        lookups.push_back(
            {"ZSCORE", failed ? keys_.outboxFailed(room) : keys_.outboxDue(room), recordId});
    status = runPipeline(lookups, replies, what);
    if (!status.ok())
        return std::nullopt;
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        if (!isNil(replies[i].get()))
            return rooms[i];
    }
    return std::nullopt;
}

fp::sdk::ClaimResult RedisStorage::claimOutbox(const std::string& consumerId, std::size_t max,
                                               std::chrono::milliseconds visibility) {
    fp::sdk::ClaimResult result;
    const std::string what = "outbox claim by " + consumerId;
    repairIndexStep();
    std::vector<ReplyPtr> replies;
    result.status = runScripts(
        {{&scripts::dueRooms(), {keys_.outboxRooms(), keys_.outboxMarks()}, {std::to_string(max)}}},
        replies, what);
    if (!result.status.ok())
        return result;
    const auto due = wordsOf(replies.front().get());  // room, mark, room, mark...
    std::vector<ScriptCall> settles;
    for (std::size_t i = 0; i + 1 < due.size() && result.records.size() < max; i += 2) {
        const std::string& room = due[i];
        ReplyPtr reply;
        auto status =
            runScript(scripts::claimRoom(),
                      {keys_.outboxDue(room), keys_.outboxCreated(room), keys_.outboxRecords(room)},
                      {std::to_string(max - result.records.size()),
                       std::to_string(visibility.count()), consumerId},
                      reply, what + " in room " + room);
        if (!status.ok()) {
            // What is claimed already is ours; without any, say why.
            if (result.records.empty())
                result.status = status;
            break;
        }
        const redisReply* r = reply.get();
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
            continue;
        for (auto& record : recordsFromReply(r, 1)) {
            recordRooms_.remember(record.id, room);
            result.records.push_back(std::move(record));
        }
        settles.push_back({&scripts::settleRoom(),
                           {keys_.outboxRooms(), keys_.outboxMarks()},
                           {room, due[i + 1], text(r->element[0])}});
    }
    if (!settles.empty()) {
        // Best effort: a room not settled stays due and is looked at again next time.
        std::vector<ReplyPtr> ignored;
        auto settled = runScripts(settles, ignored, what + ": settling the index");
        if (!settled.ok() && logger_)
            logger_->warn(settled.message);
    }
    return result;
}

Status RedisStorage::ackOutbox(const std::string& recordId) {
    Status status;
    const auto room = roomOfRecord(recordId, false, status);
    if (!status.ok())
        return status;
    if (!room)
        return Status::success();  // nothing pending under this id: acked already
    ReplyPtr reply;
    status =
        runScript(scripts::ack(),
                  {keys_.outboxDue(*room), keys_.outboxCreated(*room), keys_.outboxRecords(*room)},
                  {recordId}, reply, "outbox ack of " + recordId);
    if (status.ok())
        recordRooms_.forget(recordId);
    return status;
}

Status RedisStorage::releaseOutbox(const fp::sdk::OutboxRecord& record) {
    Status status;
    const auto room = roomOfRecord(record.id, false, status);
    if (!status.ok())
        return status;
    const auto notPending =
        Status::failure(StatusCode::notFound, "outbox record " + record.id + " is not pending");
    if (!room)
        return notPending;
    // The mark runs whether or not the release applied: an extra look at the room is harmless.
    std::vector<ReplyPtr> replies;
    status = runScripts({{&scripts::release(),
                          {keys_.outboxDue(*room), keys_.outboxRecords(*room)},
                          {record.id, std::to_string(record.attempts),
                           std::to_string(record.notBeforeMs), record.lastError}},
                         markRoomCall(*room, record.notBeforeMs)},
                        replies, "outbox release of " + record.id, 1);
    if (status.ok() && integer(replies.front().get()).value_or(0) != 1)
        return notPending;
    return status;
}

Status RedisStorage::failOutbox(const fp::sdk::OutboxRecord& record) {
    Status status;
    const auto room = roomOfRecord(record.id, false, status).value_or(kUnknownRoom);
    if (!status.ok())
        return status;
    std::vector<ReplyPtr> replies;
    return runScripts({{&scripts::fail(),
                        {keys_.outboxDue(room), keys_.outboxCreated(room), keys_.outboxFailed(room),
                         keys_.outboxRecords(room)},
                        {record.id, record.sink, record.resultId, record.payload,
                         std::to_string(record.attempts), std::to_string(record.notBeforeMs),
                         std::to_string(record.createdAtMs), record.lastError}},
                       markFailedRoomCall(room)},
                      replies, "outbox fail of " + record.id, 1);
}

fp::sdk::FailedListResult RedisStorage::listFailedOutbox() {
    fp::sdk::FailedListResult result;
    const std::string what = "outbox failed list";
    std::vector<ReplyPtr> replies;
    result.status =
        runPipeline({{"ZRANGE", keys_.outboxFailedRooms(), "0", kMaxRoomsSearched, "WITHSCORES"}},
                    replies, what);
    if (!result.status.ok())
        return result;
    const auto rooms = wordsOf(replies.front().get());  // room, mark, room, mark...
    if (rooms.empty())
        return result;
    std::vector<ScriptCall> lists;
    for (std::size_t i = 0; i + 1 < rooms.size(); i += 2) {
        lists.push_back({&scripts::listFailedRoom(),
                         {keys_.outboxFailed(rooms[i]), keys_.outboxRecords(rooms[i])},
                         {std::to_string(kMaxFailedListed)}});
    }
    result.status = runScripts(lists, replies, what);
    if (!result.status.ok())
        return result;
    std::vector<ScriptCall> settles;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const std::string& room = rooms[2 * i];
        auto records = recordsFromReply(replies[i].get(), 0);
        if (records.empty()) {
            settles.push_back({&scripts::settleFailedRoom(),
                               {keys_.outboxFailedRooms()},
                               {room, rooms[2 * i + 1]}});
        }
        for (auto& record : records) {
            if (result.records.size() >= kMaxFailedListed)
                break;
            recordRooms_.remember(record.id, room);
            result.records.push_back(std::move(record));
        }
    }
    if (!settles.empty()) {
        std::vector<ReplyPtr> ignored;
        runScripts(settles, ignored, what + ": settling the index");
    }
    return result;
}

Status RedisStorage::requeueFailedOutbox(const std::string& recordId) {
    Status status;
    const auto room = roomOfRecord(recordId, true, status);
    if (!status.ok())
        return status;
    const auto notFailed =
        Status::failure(StatusCode::notFound, "no failed outbox record " + recordId);
    if (!room)
        return notFailed;
    std::vector<ReplyPtr> replies;
    status = runScripts({{&scripts::requeue(),
                          {keys_.outboxFailed(*room), keys_.outboxDue(*room),
                           keys_.outboxCreated(*room), keys_.outboxRecords(*room)},
                          {recordId}},
                         markRoomCall(*room, 0)},
                        replies, "outbox requeue of " + recordId, 1);
    if (status.ok() && integer(replies.front().get()).value_or(0) != 1)
        return notFailed;
    return status;
}

fp::sdk::OutboxStats RedisStorage::outboxStats() {
    fp::sdk::OutboxStats stats;
    const std::string what = "outbox stats";
    std::vector<ReplyPtr> replies;
    stats.status = runPipeline({{"ZRANGE", keys_.outboxRooms(), "0", "-1"},
                                {"ZRANGE", keys_.outboxFailedRooms(), "0", "-1"}},
                               replies, what);
    if (!stats.status.ok())
        return stats;
    const auto pendingRooms = wordsOf(replies[0].get());
    const auto failedRooms = wordsOf(replies[1].get());
    if (pendingRooms.empty() && failedRooms.empty())
        return stats;
    std::vector<Command> counts;
    for (const auto& room : pendingRooms) {
        counts.push_back({"ZCARD", keys_.outboxDue(room)});
        counts.push_back({"ZRANGE", keys_.outboxCreated(room), "0", "0", "WITHSCORES"});
    }
    for (const auto& room : failedRooms)
        counts.push_back({"ZCARD", keys_.outboxFailed(room)});
    stats.status = runPipeline(counts, replies, what);
    if (!stats.status.ok())
        return stats;
    std::size_t at = 0;
    for (std::size_t i = 0; i < pendingRooms.size(); ++i) {
        stats.pending += static_cast<std::uint64_t>(integer(replies[at++].get()).value_or(0));
        const auto oldest = wordsOf(replies[at++].get());
        if (oldest.size() == 2) {
            const auto createdAt = scoreOf(oldest[1]);
            if (stats.oldestPendingCreatedAtMs == 0 || createdAt < stats.oldestPendingCreatedAtMs)
                stats.oldestPendingCreatedAtMs = createdAt;
        }
    }
    for (std::size_t i = 0; i < failedRooms.size(); ++i)
        stats.failed += static_cast<std::uint64_t>(integer(replies[at++].get()).value_or(0));
    return stats;
}

}  // namespace fp::plugins::redis
