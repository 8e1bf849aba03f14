// storage-redis: rooms as versioned documents, the outbox and presence in Redis, so several
// server instances share them. Every change of a room is one round trip: its Lua script (the
// compare-and-swap, the finalize's outbox records in the room's own slot, the PUBLISH of
// the new state), pipelined with the outbox index's mark when records were added.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster_router.hpp"
#include "firepoker/sdk/storage.hpp"
#include "health_monitor.hpp"
#include "key_layout.hpp"
#include "record_rooms.hpp"

namespace fp::plugins::redis {

class RedisStorage final : public fp::sdk::Storage {
  public:
    explicit RedisStorage(const fp::sdk::PluginContext& context);
    // What the constructor would refuse (url, tls* files, cluster with a database), for
    // --check-config; one problem per element.
    static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options);
    ~RedisStorage() override;

    fp::sdk::Status start() override;
    void stop() override;
    fp::sdk::Readiness readiness() const override;

    fp::sdk::LoadResult load(const std::string& roomId) override;
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest& request) override;
    fp::sdk::Status remove(const std::string& roomId) override;
    bool publishesOnCommit() const override { return publishOnCommit_; }

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

    // Round trips to Redis so far (tests measure the cost of each call).
    std::uint64_t roundTrips() const { return router_.roundTrips(); }
    // Tests: sees every script call (the script and its keys) before it is sent.
    void observeScripts(ScriptObserver observer) { router_.observeScripts(std::move(observer)); }

  private:
    // ok, or why Redis refused: `unavailable` for transient errors (LOADING, BUSY...),
    // `internal` otherwise, naming the Redis address (never the password).
    fp::sdk::Status statusOfReply(const redisReply* reply, const std::string& what) const;
    // Run a script / scripts / commands in one round trip; an unreachable Redis is
    // `unavailable`, an error reply as statusOfReply says, with `what` for context.
    fp::sdk::Status runScript(const LuaScript& script, const std::vector<std::string>& keys,
                              const std::vector<std::string>& args, ReplyPtr& reply,
                              const std::string& what);
    // Only the first `decisive` replies decide the status; errors after them (index writes
    // that follow a change) are logged.
    fp::sdk::Status runScripts(const std::vector<ScriptCall>& calls, std::vector<ReplyPtr>& replies,
                               const std::string& what,
                               std::size_t decisive = static_cast<std::size_t>(-1));
    fp::sdk::Status runPipeline(const std::vector<Command>& commands,
                                std::vector<ReplyPtr>& replies, const std::string& what);

    // The index writes that follow a change of a room's outbox (redis_storage_outbox.cpp).
    ScriptCall markRoomCall(const std::string& roomId, std::int64_t dueMs) const;
    ScriptCall markFailedRoomCall(const std::string& roomId) const;
    // The room holding record `recordId` (pending, or failed when `failed`): remembered, else
    // looked up in the index's rooms. nullopt when none holds it; `status` says when Redis
    // could not be asked.
    std::optional<std::string> roomOfRecord(const std::string& recordId, bool failed,
                                            fp::sdk::Status& status);
    // Cluster mode: whether every slot range's primary answers a PING; kept for readiness().
    // Runs on the health thread every healthCheckMs (and once in start()).
    void checkCluster();
    // One SCAN step of the index repair when a pass is due (redis_storage_repair.cpp).
    void repairIndexStep();

    std::shared_ptr<fp::sdk::Logger> logger_;
    RedisSettings settings_;
    KeyLayout keys_;
    bool publishOnCommit_ = true;
    ClusterRouter router_;
    std::unique_ptr<HealthMonitor> monitor_;
    RecordRooms recordRooms_;
    mutable std::mutex clusterReadyMutex_;
    fp::sdk::Readiness clusterReady_{false, "redis cluster: the nodes were not checked yet"};

    // The index repair: finds rooms with outbox records that the index misses (a process
    // that died between a commit and its index write) by SCAN of the rooms' outbox keys.
    std::chrono::milliseconds repairInterval_;
    std::mutex repairMutex_;
    bool repairRunning_ = false;
    std::vector<std::string> repairNodes_;  // this pass's primaries; one node unless cluster
    std::size_t repairNode_ = 0;
    std::string repairCursor_ = "0";
    std::chrono::steady_clock::time_point nextRepair_{};  // the first claim starts a pass
};

// A record as the claim and listFailed scripts return it (8 fields), or nullopt.
std::optional<fp::sdk::OutboxRecord> recordFromReply(const redisReply* reply);

}  // namespace fp::plugins::redis
