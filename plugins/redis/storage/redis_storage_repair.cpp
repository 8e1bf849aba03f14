// The outbox index repair. A finalize's commit writes the room's document and its records
// atomically in the room's slot; the index write that names the room (another slot) is
// pipelined right behind it but is a separate step, so a process that dies in between
// leaves records the index does not know. The repair walks the keyspace with SCAN (one step
// of up to 1000 keys per claim; a pass over every primary at start, then every
// `outboxRepairSeconds`; only one step runs at a time, so the pass state needs no lock) and
// marks every room whose outbox keys it finds: such records are claimed late, never lost.
#include "redis_storage.hpp"
#include "storage_scripts.hpp"

namespace fp::plugins::redis {
using fp::sdk::Status;
using fp::sdk::StatusCode;

void RedisStorage::repairIndexStep() {
    std::string cursor;
    std::string node;
    const std::string what = "outbox index repair";
    {
        std::lock_guard<std::mutex> lock(repairMutex_);
        if (repairRunning_ || std::chrono::steady_clock::now() < nextRepair_)
            return;
        repairRunning_ = true;
        cursor = repairCursor_;
    }
    // A pass walks every primary (one node unless `cluster`), learned when the pass starts.
    std::string error;
    if (repairNodes_.empty()) {
        repairNodes_ = router_.primaries(error);
        repairNode_ = 0;
    }
    Status status = Status::success();
    std::string next = cursor;
    if (repairNodes_.empty()) {
        status = Status::failure(StatusCode::unavailable, what + ": " + error);
    } else {
        node = repairNodes_[repairNode_];
        std::vector<ReplyPtr> replies;
        const std::vector<Command> scan = {
            {"SCAN", cursor, "MATCH", keys_.outboxScanPattern(), "COUNT", "1000"}};
        if (!router_.pipelineOn(node, scan, replies, error))
            status = Status::failure(StatusCode::unavailable, what + ": " + error);
        else
            status = statusOfReply(replies.front().get(), what);
        const redisReply* reply = status.ok() ? replies.front().get() : nullptr;
        if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) {
            next = text(reply->element[0]);
            std::vector<ScriptCall> marks;
            const redisReply* found = reply->element[1];
            for (std::size_t i = 0; found->type == REDIS_REPLY_ARRAY && i < found->elements; ++i) {
                const auto key = keys_.roomOfOutboxKey(text(found->element[i]));
                if (!key)
                    continue;
                if (key->second == "due")
                    marks.push_back(markRoomCall(key->first, 0));
                else if (key->second == "failed")
                    marks.push_back(markFailedRoomCall(key->first));
            }
            if (!marks.empty())
                status = runScripts(marks, replies, what);
        }
    }
    if (!status.ok() && logger_)
        logger_->debug(status.message + "; trying again with the next claim");
    std::lock_guard<std::mutex> lock(repairMutex_);
    repairRunning_ = false;
    if (!status.ok())
        return;
    repairCursor_ = next;
    if (next != "0")
        return;
    // This node is done: the next one, or the pass is over.
    if (++repairNode_ < repairNodes_.size())
        return;
    repairNodes_.clear();
    nextRepair_ = std::chrono::steady_clock::now() + repairInterval_;
}

}  // namespace fp::plugins::redis
