// storage-memory: rooms, outbox and presence in this process's memory. The embedded default:
// one instance, nothing survives a restart.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "firepoker/sdk/storage.hpp"

namespace fp::plugins::memory {

class MemoryStorage final : public fp::sdk::Storage {
  public:
    explicit MemoryStorage(const fp::sdk::PluginContext& context);

    fp::sdk::LoadResult load(const std::string& roomId) override;
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest& request) override;
    fp::sdk::Status remove(const std::string& roomId) override;

    fp::sdk::ClaimResult claimOutbox(const std::string& consumerId, std::size_t max,
                                     std::chrono::milliseconds visibility) override;
    fp::sdk::Status ackOutbox(const std::string& recordId) override;
    fp::sdk::Status releaseOutbox(const fp::sdk::OutboxRecord& record) override;
    fp::sdk::Status failOutbox(const fp::sdk::OutboxRecord& record) override;
    fp::sdk::FailedListResult listFailedOutbox() override;
    fp::sdk::Status requeueFailedOutbox(const std::string& recordId) override;
    fp::sdk::OutboxStats outboxStats() override;

    fp::sdk::Status heartbeat(const std::string& instanceId, std::chrono::seconds ttl) override;
    fp::sdk::InstancesResult liveInstances() override;

  private:
    using Clock = std::chrono::steady_clock;
    struct StoredRoom {
        fp::sdk::RoomDocument document;
        Clock::time_point expiresAt = Clock::time_point::max();
    };
    struct PendingRecord {
        fp::sdk::OutboxRecord record;
        Clock::time_point claimedUntil = Clock::time_point::min();
    };

    std::int64_t nowUnixMs() const;
    void dropExpiredRoomsLocked(Clock::time_point now);

    std::mutex roomsMutex_;
    std::map<std::string, StoredRoom> rooms_;
    std::size_t commitsSinceSweep_ = 0;

    std::mutex outboxMutex_;
    std::map<std::string, PendingRecord> pending_;  // by record id
    std::map<std::string, fp::sdk::OutboxRecord> failed_;

    std::mutex presenceMutex_;
    std::map<std::string, Clock::time_point> instanceExpiry_;

    std::size_t maxRooms_;
};

}  // namespace fp::plugins::memory
