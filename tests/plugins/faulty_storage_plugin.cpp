// storage-memory with a fault switch: throws from the entry point named by `throwFrom`, for
// the tests that show no exception crosses into the core.
#include "fault_switch.hpp"
#include "firepoker/sdk/export.hpp"
#include "memory_storage.hpp"

namespace {
using fp::testplugins::FaultSwitch;

class FaultyStorage final : public fp::sdk::Storage {
  public:
    explicit FaultyStorage(const fp::sdk::PluginContext& context)
        : fault_(context.options), inner_(context) {
        fault_.at("constructor");
    }
    fp::sdk::Status start() override {
        fault_.at("start");
        return inner_.start();
    }
    void stop() override {
        fault_.at("stop");
        inner_.stop();
    }
    fp::sdk::Readiness readiness() const override {
        fault_.at("readiness");
        return inner_.readiness();
    }
    fp::sdk::LoadResult load(const std::string& roomId) override {
        fault_.at("load");
        return inner_.load(roomId);
    }
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest& request) override {
        fault_.at("compareAndSwap");
        return inner_.compareAndSwap(request);
    }
    fp::sdk::Status remove(const std::string& roomId) override {
        fault_.at("remove");
        return inner_.remove(roomId);
    }
    bool publishesOnCommit() const override {
        fault_.at("publishesOnCommit");
        return false;
    }
    fp::sdk::ClaimResult claimOutbox(const std::string& consumerId, std::size_t max,
                                     std::chrono::milliseconds visibility) override {
        fault_.at("claimOutbox");
        return inner_.claimOutbox(consumerId, max, visibility);
    }
    fp::sdk::Status ackOutbox(const std::string& recordId) override {
        fault_.at("ackOutbox");
        return inner_.ackOutbox(recordId);
    }
    fp::sdk::Status releaseOutbox(const fp::sdk::OutboxRecord& record) override {
        fault_.at("releaseOutbox");
        return inner_.releaseOutbox(record);
    }
    fp::sdk::Status failOutbox(const fp::sdk::OutboxRecord& record) override {
        fault_.at("failOutbox");
        return inner_.failOutbox(record);
    }
    fp::sdk::FailedListResult listFailedOutbox() override {
        fault_.at("listFailedOutbox");
        return inner_.listFailedOutbox();
    }
    fp::sdk::Status requeueFailedOutbox(const std::string& recordId) override {
        fault_.at("requeueFailedOutbox");
        return inner_.requeueFailedOutbox(recordId);
    }
    fp::sdk::OutboxStats outboxStats() override {
        fault_.at("outboxStats");
        return inner_.outboxStats();
    }
    fp::sdk::Status heartbeat(const std::string& instanceId, std::chrono::seconds ttl) override {
        fault_.at("heartbeat");
        return inner_.heartbeat(instanceId, ttl);
    }
    fp::sdk::InstancesResult liveInstances() override {
        fault_.at("liveInstances");
        return inner_.liveInstances();
    }

  private:
    FaultSwitch fault_;
    fp::plugins::memory::MemoryStorage inner_;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-faulty-storage";
    m.version = "0";
    m.description = "storage-memory that throws from a chosen entry point (tests only)";
    m.options = FaultSwitch::options();
    m.options.push_back(fp::sdk::option::integer("maxRooms", 1000, "rooms held at most"));
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(FaultyStorage, manifest)
