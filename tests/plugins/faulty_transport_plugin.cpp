// transport-websocket with a fault switch: throws from the entry point named by `throwFrom`
// ("constructor", "start", "stop", "readiness" or any Transport member: "setHost", "send"...).
// The throw comes before the call reaches the real transport, as a plugin failing on entry
// would; until told to throw it behaves exactly like transport-websocket.
#include "fault_switch.hpp"
#include "firepoker/sdk/export.hpp"
#include "transport_options.hpp"
#include "websocket_transport.hpp"

namespace {
using fp::testplugins::FaultSwitch;

class FaultyTransport final : public fp::sdk::Transport {
  public:
    explicit FaultyTransport(const fp::sdk::PluginContext& context)
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
    void setHost(fp::sdk::TransportHost* host) override {
        fault_.at("setHost");
        inner_.setHost(host);
    }
    void setListenAddress(const std::string& hostPort) override {
        fault_.at("setListenAddress");
        inner_.setListenAddress(hostPort);
    }
    void setWebRoot(const std::string& path) override {
        fault_.at("setWebRoot");
        inner_.setWebRoot(path);
    }
    std::string boundAddress() const override {
        fault_.at("boundAddress");
        return inner_.boundAddress();
    }
    fp::sdk::SharedOutbound prepare(std::string payload) const override {
        fault_.at("prepare");
        return inner_.prepare(std::move(payload));
    }
    void send(fp::sdk::ConnectionId id, const fp::sdk::SharedOutbound& message) override {
        fault_.at("send");
        inner_.send(id, message);
    }
    void close(fp::sdk::ConnectionId id, std::uint16_t code, const std::string& reason) override {
        fault_.at("close");
        inner_.close(id, code, reason);
    }
    void stopAccepting() override {
        fault_.at("stopAccepting");
        inner_.stopAccepting();
    }
    void closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) override {
        fault_.at("closeAll");
        inner_.closeAll(code, reason, timeoutMs);
    }
    fp::sdk::TransportStats stats() const override {
        fault_.at("stats");
        return inner_.stats();
    }

  private:
    FaultSwitch fault_;
    fp::websocket::WebSocketTransport inner_;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-faulty-transport";
    m.version = "0";
    m.description = "transport-websocket that throws from a chosen entry point (tests only)";
    m.options = FaultSwitch::options();
    for (auto& spec : fp::websocket::transportOptionSpecs())
        m.options.push_back(std::move(spec));
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(FaultyTransport, manifest)
