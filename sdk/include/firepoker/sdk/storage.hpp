// Storage: versioned room documents with compare-and-swap, the outbox of results waiting for
// sinks, and presence of server instances.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "firepoker/sdk/plugin.hpp"

namespace fp::sdk {

struct RoomDocument {
    std::string roomId;
    std::uint64_t version = 0;  // 0 = does not exist
    std::string json;           // the core's serialized room; opaque to storage
};

// One result waiting for one sink.
struct OutboxRecord {
    std::string id;        // unique: "<sink>/<resultId>"
    std::string sink;      // the sink instance name
    std::string resultId;  // the result's id (idempotency key at the sink)
    std::string payload;   // the result as JSON
    std::uint32_t attempts = 0;
    std::int64_t notBeforeMs = 0;  // unix ms; not claimable before
    std::int64_t createdAtMs = 0;  // unix ms; for the age of the oldest record
    std::string lastError;
};

struct CommitRequest {
    std::string roomId;
    std::uint64_t expectedVersion = 0;  // 0 = the room must not exist yet
    std::string json;                   // the new document; its version is expectedVersion + 1
    // Added to the outbox in the same atomic step as the document, or not at all.
    std::vector<OutboxRecord> outbox;
    // The state message for the bus. A storage that can publish atomically with the commit
    // (publishesOnCommit) sends it itself; otherwise the core hands it to the bus.
    std::string publishPayload;
    std::chrono::seconds ttl{0};  // idle rooms expire after this (0 = never)
};

struct LoadResult {
    Status status;  // ok, notFound, unavailable
    RoomDocument document;
};

struct CommitResult {
    Status status;              // ok, conflict (someone else committed first), unavailable
    std::uint64_t version = 0;  // the committed version when ok
};

struct ClaimResult {
    Status status;
    std::vector<OutboxRecord> records;
};

struct OutboxStats {
    Status status;
    std::uint64_t pending = 0;                  // waiting or claimed
    std::uint64_t failed = 0;                   // given up on, kept for an operator
    std::int64_t oldestPendingCreatedAtMs = 0;  // 0 when none
};

struct FailedListResult {
    Status status;
    std::vector<OutboxRecord> records;
};

struct InstancesResult {
    Status status;
    std::vector<std::string> liveInstanceIds;
};

// Thread-safe: every member may be called from any thread, concurrently.
class Storage : public Plugin {
  public:
    PluginKind kind() const override { return PluginKind::storage; }

    virtual LoadResult load(const std::string& roomId) = 0;
    virtual CommitResult compareAndSwap(const CommitRequest& request) = 0;
    virtual Status remove(const std::string& roomId) = 0;
    // True when compareAndSwap publishes publishPayload on the bus in the same atomic step.
    virtual bool publishesOnCommit() const { return false; }

    // Outbox. A claimed record is invisible to other claims until `visibility` passes; then
    // it returns to the queue (the claimer crashed). ack removes it; release puts it back
    // with the updated attempts, notBeforeMs and lastError; fail moves it to the failed set.
    virtual ClaimResult claimOutbox(const std::string& consumerId, std::size_t max,
                                    std::chrono::milliseconds visibility) = 0;
    virtual Status ackOutbox(const std::string& recordId) = 0;
    virtual Status releaseOutbox(const OutboxRecord& record) = 0;
    virtual Status failOutbox(const OutboxRecord& record) = 0;
    virtual FailedListResult listFailedOutbox() = 0;
    virtual Status requeueFailedOutbox(const std::string& recordId) = 0;
    virtual OutboxStats outboxStats() = 0;

    // Presence: each server instance calls heartbeat regularly; an instance whose heartbeat
    // is older than its ttl is no longer live.
    virtual Status heartbeat(const std::string& instanceId, std::chrono::seconds ttl) = 0;
    virtual InstancesResult liveInstances() = 0;
};

}  // namespace fp::sdk
