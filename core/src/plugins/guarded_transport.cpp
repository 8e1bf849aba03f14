// The guard around a transport plugin, and around the core's TransportHost it is handed: a
// transport's throw is logged and the core carries on; a core throw while serving a
// transport's thread refuses that one connection or answers that one request with 500.
#include "plugins/guarded_lifecycle.hpp"
#include "plugins/guarded_plugins.hpp"

namespace fp::plugins {
namespace {
using fp::sdk::ConnectionId;
using fp::sdk::ConnectionInfo;

void ignore(const std::string&) {}

class GuardedTransportHost final : public fp::sdk::TransportHost {
  public:
    GuardedTransportHost(fp::sdk::TransportHost* inner, const PluginFaultReporter& reporter)
        : inner_(inner), reporter_(reporter) {}

    bool acceptConnection(const ConnectionInfo& info, std::string& refusal) override {
        return callGuarded(
            reporter_, "acceptConnection", [&] { return inner_->acceptConnection(info, refusal); },
            [&refusal](const std::string&) {
                refusal = "internal error";
                return false;
            });
    }
    void onConnectionOpened(ConnectionId id, const ConnectionInfo& info) override {
        callGuarded(
            reporter_, "onConnectionOpened", [&] { inner_->onConnectionOpened(id, info); }, ignore);
    }
    void onTextMessage(ConnectionId id, std::string text) override {
        callGuarded(
            reporter_, "onTextMessage", [&] { inner_->onTextMessage(id, std::move(text)); },
            ignore);
    }
    void onConnectionClosed(ConnectionId id, std::uint16_t code) override {
        callGuarded(
            reporter_, "onConnectionClosed", [&] { inner_->onConnectionClosed(id, code); }, ignore);
    }
    bool isCoreRoute(const std::string& path) const override {
        return callGuarded(
            reporter_, "isCoreRoute", [&] { return inner_->isCoreRoute(path); },
            [](const std::string&) { return false; });
    }
    fp::sdk::HttpResponse handleHttp(const fp::sdk::HttpRequest& request) override {
        return callGuarded(
            reporter_, "handleHttp", [&] { return inner_->handleHttp(request); },
            [](const std::string&) {
                fp::sdk::HttpResponse response;
                response.status = 500;
                response.body = R"({"error":{"code":"internal","message":"internal error"}})";
                return response;
            });
    }

  private:
    fp::sdk::TransportHost* inner_;
    const PluginFaultReporter& reporter_;
};

class GuardedTransport final : public fp::sdk::Transport {
  public:
    GuardedTransport(std::shared_ptr<fp::sdk::Transport> inner, std::string label,
                     std::shared_ptr<spdlog::logger> logger)
        : reporter_(std::move(label), logger),
          coreReporter_("core (called by " + reporter_.label() + ")", logger),
          inner_(std::move(inner)) {}

    fp::sdk::Status start() override { return detail::guardedStart(reporter_, *inner_); }
    void stop() override { detail::guardedStop(reporter_, *inner_); }
    fp::sdk::Readiness readiness() const override {
        return detail::guardedReadiness(reporter_, *inner_);
    }

    // Set once, before start().
    void setHost(fp::sdk::TransportHost* host) override {
        auto wrapped = host ? std::make_unique<GuardedTransportHost>(host, coreReporter_) : nullptr;
        callGuarded(
            reporter_, "setHost", [&] { inner_->setHost(wrapped.get()); }, ignore);
        host_ = std::move(wrapped);
    }
    void setListenAddress(const std::string& hostPort) override {
        callGuarded(
            reporter_, "setListenAddress", [&] { inner_->setListenAddress(hostPort); }, ignore);
    }
    void setWebRoot(const std::string& path) override {
        callGuarded(
            reporter_, "setWebRoot", [&] { inner_->setWebRoot(path); }, ignore);
    }
    std::string boundAddress() const override {
        return callGuarded(
            reporter_, "boundAddress", [&] { return inner_->boundAddress(); },
            [](const std::string&) { return std::string(); });
    }
    fp::sdk::SharedOutbound prepare(std::string payload) const override {
        // The payload is moved in (this is the fan-out's hot path), so a failed prepare hands
        // back an empty message rather than a copy.
        return callGuarded(
            reporter_, "prepare", [&] { return inner_->prepare(std::move(payload)); },
            [](const std::string&) { return std::make_shared<const fp::sdk::OutboundMessage>(); });
    }
    void send(ConnectionId id, const fp::sdk::SharedOutbound& message) override {
        callGuarded(
            reporter_, "send", [&] { inner_->send(id, message); }, ignore);
    }
    void close(ConnectionId id, std::uint16_t code, const std::string& reason) override {
        callGuarded(
            reporter_, "close", [&] { inner_->close(id, code, reason); }, ignore);
    }
    void stopAccepting() override {
        callGuarded(
            reporter_, "stopAccepting", [&] { inner_->stopAccepting(); }, ignore);
    }
    void closeAll(std::uint16_t code, const std::string& reason, int timeoutMs) override {
        callGuarded(
            reporter_, "closeAll", [&] { inner_->closeAll(code, reason, timeoutMs); }, ignore);
    }
    fp::sdk::TransportStats stats() const override {
        return callGuarded(
            reporter_, "stats", [&] { return inner_->stats(); },
            [](const std::string&) { return fp::sdk::TransportStats{}; });
    }

  private:
    PluginFaultReporter reporter_;
    PluginFaultReporter coreReporter_;
    std::unique_ptr<GuardedTransportHost> host_;
    // Last, so destroyed first: the host wrapper outlives every transport thread.
    std::shared_ptr<fp::sdk::Transport> inner_;
};
}  // namespace

std::shared_ptr<fp::sdk::Transport> guardTransport(std::shared_ptr<fp::sdk::Transport> inner,
                                                   std::string label,
                                                   std::shared_ptr<spdlog::logger> logger) {
    return std::make_shared<GuardedTransport>(std::move(inner), std::move(label),
                                              std::move(logger));
}

}  // namespace fp::plugins
