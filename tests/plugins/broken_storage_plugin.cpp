// A storage that is wrong on purpose, to show the conformance kit catches it:
//  - compareAndSwap ignores the expected version (last writer wins, updates get lost);
//  - claimOutbox has no visibility timeout (a claimed record stays claimable at once).
// Everything else is storage-memory's, so the kit's other cases pass.
#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"
#include "memory_storage.hpp"

namespace {
class BrokenStorage final : public fp::sdk::Storage {
  public:
    explicit BrokenStorage(const fp::sdk::PluginContext& context) : inner_(context) {}

    fp::sdk::LoadResult load(const std::string& roomId) override { return inner_.load(roomId); }
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest& request) override {
        auto blind = request;
        blind.expectedVersion = inner_.load(request.roomId).document.version;
        return inner_.compareAndSwap(blind);
    }
    fp::sdk::Status remove(const std::string& roomId) override { return inner_.remove(roomId); }
    fp::sdk::ClaimResult claimOutbox(const std::string& consumerId, std::size_t max,
                                     std::chrono::milliseconds visibility) override {
        auto claimed = inner_.claimOutbox(consumerId, max, visibility);
        for (const auto& record : claimed.records)
            inner_.releaseOutbox(record);
        return claimed;
    }
    fp::sdk::Status ackOutbox(const std::string& id) override { return inner_.ackOutbox(id); }
    fp::sdk::Status releaseOutbox(const fp::sdk::OutboxRecord& record) override {
        return inner_.releaseOutbox(record);
    }
    fp::sdk::Status failOutbox(const fp::sdk::OutboxRecord& record) override {
        return inner_.failOutbox(record);
    }
    fp::sdk::FailedListResult listFailedOutbox() override { return inner_.listFailedOutbox(); }
    fp::sdk::Status requeueFailedOutbox(const std::string& id) override {
        return inner_.requeueFailedOutbox(id);
    }
    fp::sdk::OutboxStats outboxStats() override { return inner_.outboxStats(); }
    fp::sdk::Status heartbeat(const std::string& instanceId, std::chrono::seconds ttl) override {
        return inner_.heartbeat(instanceId, ttl);
    }
    fp::sdk::InstancesResult liveInstances() override { return inner_.liveInstances(); }

  private:
    fp::plugins::memory::MemoryStorage inner_;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-broken-storage";
    m.version = "0";
    m.description = "a storage with blind compare-and-swap and no claim visibility (tests only)";
    m.options = {fp::sdk::option::integer("maxRooms", 1000, "rooms held at most")};
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(BrokenStorage, manifest)
