#include "memory_storage.hpp"

namespace fp::plugins::memory {
using fp::sdk::Status;
using fp::sdk::StatusCode;

MemoryStorage::MemoryStorage(const fp::sdk::PluginContext& context)
    : maxRooms_(static_cast<std::size_t>(context.options.getInt("maxRooms"))) {}

std::int64_t MemoryStorage::nowUnixMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void MemoryStorage::dropExpiredRoomsLocked(Clock::time_point now) {
    for (auto it = rooms_.begin(); it != rooms_.end();) {
        it = it->second.expiresAt <= now ? rooms_.erase(it) : std::next(it);
    }
}

fp::sdk::LoadResult MemoryStorage::load(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    auto it = rooms_.find(roomId);
    if (it == rooms_.end() || it->second.expiresAt <= Clock::now()) {
        return {Status::failure(StatusCode::notFound, "room " + roomId + " not stored"), {}};
    }
    return {Status::success(), it->second.document};
}

fp::sdk::CommitResult MemoryStorage::compareAndSwap(const fp::sdk::CommitRequest& request) {
    const auto now = Clock::now();
    {
        std::lock_guard<std::mutex> lock(roomsMutex_);
        // Expired rooms are dropped now and then, not on every commit.
        if (++commitsSinceSweep_ >= 1024) {
            commitsSinceSweep_ = 0;
            dropExpiredRoomsLocked(now);
        }
        auto it = rooms_.find(request.roomId);
        const bool exists = it != rooms_.end() && it->second.expiresAt > now;
        const std::uint64_t current = exists ? it->second.document.version : 0;
        if (current != request.expectedVersion) {
            return {
                Status::failure(StatusCode::conflict, "room " + request.roomId + " is at version " +
                                                          std::to_string(current) + ", not " +
                                                          std::to_string(request.expectedVersion)),
                current};
        }
        if (!exists && rooms_.size() >= maxRooms_) {
            dropExpiredRoomsLocked(now);
            if (rooms_.size() >= maxRooms_) {
                return {Status::failure(StatusCode::unavailable,
                                        "storage-memory holds its maximum of " +
                                            std::to_string(maxRooms_) + " rooms"),
                        0};
            }
        }
        StoredRoom& stored = rooms_[request.roomId];
        stored.document.roomId = request.roomId;
        stored.document.version = request.expectedVersion + 1;
        stored.document.json = request.json;
        stored.expiresAt = request.ttl.count() > 0 ? now + request.ttl : Clock::time_point::max();
    }
    if (!request.outbox.empty()) {
        std::lock_guard<std::mutex> lock(outboxMutex_);
        for (const auto& record : request.outbox) {
            pending_[record.id] = PendingRecord{record, Clock::time_point::min()};
        }
    }
    return {Status::success(), request.expectedVersion + 1};
}

Status MemoryStorage::remove(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(roomsMutex_);
    rooms_.erase(roomId);
    return Status::success();
}

fp::sdk::ClaimResult MemoryStorage::claimOutbox(const std::string& /*consumerId*/, std::size_t max,
                                                std::chrono::milliseconds visibility) {
    fp::sdk::ClaimResult result;
    const auto now = Clock::now();
    const auto nowMs = nowUnixMs();
    std::lock_guard<std::mutex> lock(outboxMutex_);
    for (auto& [id, pending] : pending_) {
        if (result.records.size() >= max)
            break;
        if (pending.claimedUntil > now || pending.record.notBeforeMs > nowMs)
            continue;
        pending.claimedUntil = now + visibility;
        result.records.push_back(pending.record);
    }
    return result;
}

Status MemoryStorage::ackOutbox(const std::string& recordId) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    pending_.erase(recordId);
    return Status::success();
}

Status MemoryStorage::releaseOutbox(const fp::sdk::OutboxRecord& record) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    auto it = pending_.find(record.id);
    if (it == pending_.end()) {
        return Status::failure(StatusCode::notFound,
                               "outbox record " + record.id + " is not pending");
    }
    it->second.record = record;
    it->second.claimedUntil = Clock::time_point::min();
    return Status::success();
}

Status MemoryStorage::failOutbox(const fp::sdk::OutboxRecord& record) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    pending_.erase(record.id);
    failed_[record.id] = record;
    return Status::success();
}

fp::sdk::FailedListResult MemoryStorage::listFailedOutbox() {
    fp::sdk::FailedListResult result;
    std::lock_guard<std::mutex> lock(outboxMutex_);
    for (const auto& [id, record] : failed_)
        result.records.push_back(record);
    return result;
}

Status MemoryStorage::requeueFailedOutbox(const std::string& recordId) {
    std::lock_guard<std::mutex> lock(outboxMutex_);
    auto it = failed_.find(recordId);
    if (it == failed_.end()) {
        return Status::failure(StatusCode::notFound, "no failed outbox record " + recordId);
    }
    fp::sdk::OutboxRecord record = it->second;
    record.attempts = 0;
    record.notBeforeMs = 0;
    pending_[recordId] = PendingRecord{record, Clock::time_point::min()};
    failed_.erase(it);
    return Status::success();
}

fp::sdk::OutboxStats MemoryStorage::outboxStats() {
    fp::sdk::OutboxStats stats;
    std::lock_guard<std::mutex> lock(outboxMutex_);
    stats.pending = pending_.size();
    stats.failed = failed_.size();
    for (const auto& [id, pending] : pending_) {
        const auto created = pending.record.createdAtMs;
        if (stats.oldestPendingCreatedAtMs == 0 || created < stats.oldestPendingCreatedAtMs) {
            stats.oldestPendingCreatedAtMs = created;
        }
    }
    return stats;
}

Status MemoryStorage::heartbeat(const std::string& instanceId, std::chrono::seconds ttl) {
    std::lock_guard<std::mutex> lock(presenceMutex_);
    instanceExpiry_[instanceId] = Clock::now() + ttl;
    return Status::success();
}

fp::sdk::InstancesResult MemoryStorage::liveInstances() {
    fp::sdk::InstancesResult result;
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(presenceMutex_);
    for (const auto& [id, expiry] : instanceExpiry_) {
        if (expiry > now)
            result.liveInstanceIds.push_back(id);
    }
    return result;
}

}  // namespace fp::plugins::memory
