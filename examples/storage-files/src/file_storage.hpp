// storage-files: rooms and the outbox of results in files under one folder, so that both
// survive a restart of a single server instance (the embedded default, storage-memory, loses
// them). Everything is also held in memory and served from there; the files are written
// through on every change and read back by start().
//
//   <folder>/rooms/<hex room id>     one room document (version, expiry, the core's JSON)
//   <folder>/outbox/<hex record id>  a result waiting for a sink
//   <folder>/failed/<hex record id>  a result given up on, kept for an operator
//
// One server instance per folder: the files are not locked against a second process.
// Claims and presence are kept in memory only: after a restart every record is claimable
// again (the claimer is gone) and presence starts empty (instances heartbeat again).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/storage.hpp"

namespace fp::examples::files {

fp::sdk::Manifest manifest();

class FileStorage final : public fp::sdk::Storage {
  public:
    explicit FileStorage(const fp::sdk::PluginContext& context);

    fp::sdk::Status start() override;

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
        std::int64_t expiresAtMs = 0;  // unix ms (it must mean the same after a restart); 0 = never
    };
    struct PendingRecord {
        fp::sdk::OutboxRecord record;
        Clock::time_point claimedUntil = Clock::time_point::min();
    };

    std::filesystem::path roomFile(const std::string& roomId) const;
    std::filesystem::path recordFile(const std::string& folder, const std::string& id) const;
    bool writeRecord(const std::string& folder, const fp::sdk::OutboxRecord& record,
                     std::string& error) const;
    // Drops the room if it has expired; true when it is (still) there.
    bool roomIsLiveLocked(const std::string& roomId, std::int64_t nowMs);
    void loadRooms(std::int64_t nowMs);
    void loadRecords(const std::string& folder, bool failed);

    std::filesystem::path folder_;
    std::shared_ptr<fp::sdk::Logger> logger_;

    std::mutex mutex_;  // one lock for everything: simple, and plenty for one instance
    std::map<std::string, StoredRoom> rooms_;
    std::map<std::string, PendingRecord> pending_;  // by record id
    std::map<std::string, fp::sdk::OutboxRecord> failed_;
    std::map<std::string, Clock::time_point> instanceExpiry_;
};

std::int64_t nowUnixMs();

}  // namespace fp::examples::files
