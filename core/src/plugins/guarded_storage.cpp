// The guard around a storage plugin: a throw answers `unavailable`, as a backend that cannot be
// reached does, so the room service tells the client "nothing was changed".
#include "plugins/guarded_lifecycle.hpp"
#include "plugins/guarded_plugins.hpp"

namespace fp::plugins {
namespace {
using fp::sdk::Status;
using fp::sdk::StatusCode;

Status unavailable(std::string text) {
    return Status::failure(StatusCode::unavailable, std::move(text));
}

class GuardedStorage final : public fp::sdk::Storage {
  public:
    GuardedStorage(std::shared_ptr<fp::sdk::Storage> inner, std::string label,
                   std::shared_ptr<spdlog::logger> logger)
        : inner_(std::move(inner)), reporter_(std::move(label), std::move(logger)) {}

    Status start() override { return detail::guardedStart(reporter_, *inner_); }
    void stop() override { detail::guardedStop(reporter_, *inner_); }
    fp::sdk::Readiness readiness() const override {
        return detail::guardedReadiness(reporter_, *inner_);
    }

    fp::sdk::LoadResult load(const std::string& roomId) override {
        return callGuarded(
            reporter_, "load", [&] { return inner_->load(roomId); },
            [](std::string text) {
                return fp::sdk::LoadResult{unavailable(std::move(text)), {}};
            });
    }
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest& request) override {
        return callGuarded(
            reporter_, "compareAndSwap", [&] { return inner_->compareAndSwap(request); },
            [](std::string text) {
                return fp::sdk::CommitResult{unavailable(std::move(text)), 0};
            });
    }
    Status remove(const std::string& roomId) override {
        return callGuarded(
            reporter_, "remove", [&] { return inner_->remove(roomId); }, unavailable);
    }
    bool publishesOnCommit() const override {
        // Asked once at start-up; a plugin that cannot answer is taken not to publish, so the
        // core publishes every state itself.
        return callGuarded(
            reporter_, "publishesOnCommit", [&] { return inner_->publishesOnCommit(); },
            [](const std::string&) { return false; });
    }

    fp::sdk::ClaimResult claimOutbox(const std::string& consumerId, std::size_t max,
                                     std::chrono::milliseconds visibility) override {
        return callGuarded(
            reporter_, "claimOutbox",
            [&] { return inner_->claimOutbox(consumerId, max, visibility); },
            [](std::string text) {
                return fp::sdk::ClaimResult{unavailable(std::move(text)), {}};
            });
    }
    Status ackOutbox(const std::string& recordId) override {
        return callGuarded(
            reporter_, "ackOutbox", [&] { return inner_->ackOutbox(recordId); }, unavailable);
    }
    Status releaseOutbox(const fp::sdk::OutboxRecord& record) override {
        return callGuarded(
            reporter_, "releaseOutbox", [&] { return inner_->releaseOutbox(record); }, unavailable);
    }
    Status failOutbox(const fp::sdk::OutboxRecord& record) override {
        return callGuarded(
            reporter_, "failOutbox", [&] { return inner_->failOutbox(record); }, unavailable);
    }
    fp::sdk::FailedListResult listFailedOutbox() override {
        return callGuarded(
            reporter_, "listFailedOutbox", [&] { return inner_->listFailedOutbox(); },
            [](std::string text) {
                return fp::sdk::FailedListResult{unavailable(std::move(text)), {}};
            });
    }
    Status requeueFailedOutbox(const std::string& recordId) override {
        return callGuarded(
            reporter_, "requeueFailedOutbox", [&] { return inner_->requeueFailedOutbox(recordId); },
            unavailable);
    }
    fp::sdk::OutboxStats outboxStats() override {
        return callGuarded(
            reporter_, "outboxStats", [&] { return inner_->outboxStats(); },
            [](std::string text) {
                fp::sdk::OutboxStats stats;
                stats.status = unavailable(std::move(text));
                return stats;
            });
    }

    Status heartbeat(const std::string& instanceId, std::chrono::seconds ttl) override {
        return callGuarded(
            reporter_, "heartbeat", [&] { return inner_->heartbeat(instanceId, ttl); },
            unavailable);
    }
    fp::sdk::InstancesResult liveInstances() override {
        return callGuarded(
            reporter_, "liveInstances", [&] { return inner_->liveInstances(); },
            [](std::string text) {
                return fp::sdk::InstancesResult{unavailable(std::move(text)), {}};
            });
    }

  private:
    std::shared_ptr<fp::sdk::Storage> inner_;
    PluginFaultReporter reporter_;
};
}  // namespace

std::shared_ptr<fp::sdk::Storage> guardStorage(std::shared_ptr<fp::sdk::Storage> inner,
                                               std::string label,
                                               std::shared_ptr<spdlog::logger> logger) {
    return std::make_shared<GuardedStorage>(std::move(inner), std::move(label), std::move(logger));
}

}  // namespace fp::plugins
