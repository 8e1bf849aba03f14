// sink-jsonl with a fault switch: throws from the entry point named by `throwFrom`.
#include "fault_switch.hpp"
#include "firepoker/sdk/export.hpp"
#include "jsonl_sink.hpp"

namespace {
using fp::testplugins::FaultSwitch;

class FaultySink final : public fp::sdk::Sink {
  public:
    explicit FaultySink(const fp::sdk::PluginContext& context)
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
    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override {
        fault_.at("deliver");
        return inner_.deliver(resultId, resultJson);
    }
    bool canReadHistory() const override {
        fault_.at("canReadHistory");
        return inner_.canReadHistory();
    }
    fp::sdk::HistoryResult readHistory(const std::string& roomId) override {
        fault_.at("readHistory");
        return inner_.readHistory(roomId);
    }

  private:
    FaultSwitch fault_;
    fp::plugins::jsonl::JsonlSink inner_;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-faulty-sink";
    m.version = "0";
    m.description = "sink-jsonl that throws from a chosen entry point (tests only)";
    m.options = FaultSwitch::options();
    m.options.push_back(fp::sdk::option::string("path", "results.jsonl", "the file"));
    m.options.push_back(fp::sdk::option::boolean("fsync", false, "fsync every line"));
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(FaultySink, manifest)
