// bus-local with a fault switch: throws from the entry point named by `throwFrom`.
#include "fault_switch.hpp"
#include "firepoker/sdk/export.hpp"
#include "local_bus.hpp"

namespace {
using fp::testplugins::FaultSwitch;

class FaultyBus final : public fp::sdk::Bus {
  public:
    explicit FaultyBus(const fp::sdk::PluginContext& context)
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
    void setListener(fp::sdk::BusListener* listener) override {
        fault_.at("setListener");
        inner_.setListener(listener);
    }
    fp::sdk::Status publish(const std::string& roomId, std::uint64_t version,
                            const std::string& payload) override {
        fault_.at("publish");
        return inner_.publish(roomId, version, payload);
    }
    fp::sdk::Status subscribe(const std::string& roomId) override {
        fault_.at("subscribe");
        return inner_.subscribe(roomId);
    }
    fp::sdk::Status unsubscribe(const std::string& roomId) override {
        fault_.at("unsubscribe");
        return inner_.unsubscribe(roomId);
    }

  private:
    FaultSwitch fault_;
    fp::plugins::localbus::LocalBus inner_;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-faulty-bus";
    m.version = "0";
    m.description = "bus-local that throws from a chosen entry point (tests only)";
    m.options = FaultSwitch::options();
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(FaultyBus, manifest)
