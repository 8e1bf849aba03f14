// storage-redis: rooms as versioned documents, the outbox and presence in Redis, so several
// server instances share them. Every change is one Lua script (one round trip): the
// compare-and-swap, the finalize's outbox records and the PUBLISH of the new state.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "connection_pool.hpp"
#include "firepoker/sdk/storage.hpp"
#include "health_monitor.hpp"
#include "key_layout.hpp"

namespace fp::plugins::redis {

class RedisStorage final : public fp::sdk::Storage {
  public:
    explicit RedisStorage(const fp::sdk::PluginContext& context);
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
    std::uint64_t roundTrips() const { return pool_.roundTrips(); }

  private:
    // Runs a script; maps an unreachable Redis to `unavailable` and an error reply to
    // `unavailable` (transient) or `internal`, with `what` for context.
    // ok, or why Redis refused: `unavailable` for transient errors (LOADING, BUSY...),
    // `internal` otherwise, naming the Redis address (never the password).
    fp::sdk::Status statusOfReply(const redisReply* reply, const std::string& what) const;
    fp::sdk::Status runScript(const LuaScript& script, const std::vector<std::string>& keys,
                              const std::vector<std::string>& args, ReplyPtr& reply,
                              const std::string& what);
    fp::sdk::Status runPipeline(const std::vector<Command>& commands,
                                std::vector<ReplyPtr>& replies, const std::string& what);

    std::shared_ptr<fp::sdk::Logger> logger_;
    RedisSettings settings_;
    KeyLayout keys_;
    bool publishOnCommit_ = true;
    ConnectionPool pool_;
    std::unique_ptr<HealthMonitor> monitor_;
};

// A record as the claim and listFailed scripts return it (8 fields), or nullopt.
std::optional<fp::sdk::OutboxRecord> recordFromReply(const redisReply* reply);

}  // namespace fp::plugins::redis
