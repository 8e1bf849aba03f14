// The guard around a transport plugin, and around the core's TransportHost it is handed: a
// transport's throw is logged and the core carries on; a core throw while serving a
// transport's thread refuses that one connection or answers that one request with 500.
// A throw from a wiring call (setHost, setListenAddress, setWebRoot) fails the later start():
// a transport that missed its address would otherwise listen on its own default.
#include <atomic>
#include <functional>
#include <mutex>

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

    // After the transport's stop() returned (or threw), its threads must not reach the core,
    // which is torn down next: whatever still calls is refused or ignored.
    void detach() { detached_.store(true); }

    bool acceptConnection(const ConnectionInfo& info, std::string& refusal) override {
        if (detached_.load()) {
            refusal = "server shutting down";
            return false;
        }
        return callGuarded(
            reporter_, "acceptConnection", [&] { return inner_->acceptConnection(info, refusal); },
            [&refusal](const std::string&) {
                refusal = "internal error";
                return false;
            });
    }
    void onConnectionOpened(ConnectionId id, const ConnectionInfo& info) override {
        if (detached_.load())
            return;
        callGuarded(
            reporter_, "onConnectionOpened", [&] { inner_->onConnectionOpened(id, info); }, ignore);
    }
    void onTextMessage(ConnectionId id, std::string text) override {
        if (detached_.load())
            return;
        callGuarded(
            reporter_, "onTextMessage", [&] { inner_->onTextMessage(id, std::move(text)); },
            ignore);
    }
    void onConnectionClosed(ConnectionId id, std::uint16_t code) override {
        if (detached_.load())
            return;
        callGuarded(
            reporter_, "onConnectionClosed", [&] { inner_->onConnectionClosed(id, code); }, ignore);
    }
    bool isCoreRoute(const std::string& path) const override {
        if (detached_.load())
            return false;
        return callGuarded(
            reporter_, "isCoreRoute", [&] { return inner_->isCoreRoute(path); },
            [](const std::string&) { return false; });
    }
    fp::sdk::HttpResponse handleHttp(const fp::sdk::HttpRequest& request) override {
        if (detached_.load()) {
            fp::sdk::HttpResponse response;
            response.status = 503;
            response.body = R"({"error":{"code":"unavailable","message":"server shutting down"}})";
            return response;
        }
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
    std::atomic<bool> detached_{false};
};

class GuardedTransport final : public fp::sdk::Transport {
  public:
    GuardedTransport(std::shared_ptr<fp::sdk::Transport> inner, std::string label,
                     std::shared_ptr<spdlog::logger> logger)
        : reporter_(std::move(label), logger),
          coreReporter_("core (called by " + reporter_.label() + ")", logger),
          inner_(std::move(inner)) {}

    fp::sdk::Status start() override {
        {
            std::lock_guard<std::mutex> lock(wiringMutex_);
            if (!wiringFailure_.empty())
                return fp::sdk::Status::failure(fp::sdk::StatusCode::internal,
                                                "not started: " + wiringFailure_);
        }
        return detail::guardedStart(reporter_, *inner_);
    }
    void stop() override {
        detail::guardedStop(reporter_, *inner_);
        if (host_)
            host_->detach();
    }
    fp::sdk::Readiness readiness() const override {
        return detail::guardedReadiness(reporter_, *inner_);
    }

    // Set once, before start().
    void setHost(fp::sdk::TransportHost* host) override {
        auto wrapped = host ? std::make_unique<GuardedTransportHost>(host, coreReporter_) : nullptr;
        callGuarded(
            reporter_, "setHost", [&] { inner_->setHost(wrapped.get()); }, rememberWiringFailure());
        host_ = std::move(wrapped);
    }
    void setListenAddress(const std::string& hostPort) override {
        callGuarded(
            reporter_, "setListenAddress", [&] { inner_->setListenAddress(hostPort); },
            rememberWiringFailure());
    }
    void setWebRoot(const std::string& path) override {
        callGuarded(
            reporter_, "setWebRoot", [&] { inner_->setWebRoot(path); }, rememberWiringFailure());
    }
    std::string boundAddress() const override {
        return callGuarded(
            reporter_, "boundAddress", [&] { return inner_->boundAddress(); },
            [](const std::string&) { return std::string(); });
    }
    fp::sdk::SharedOutbound prepare(std::string payload) const override {
        // A copy goes in (one per state change, not per recipient), so a failed prepare still
        // hands back the text: a message without its encoded bytes, which send() encodes.
        return callGuarded(
            reporter_, "prepare", [&] { return inner_->prepare(payload); },
            [&payload](const std::string&) {
                auto message = std::make_shared<fp::sdk::OutboundMessage>();
                message->payload = std::move(payload);
                return fp::sdk::SharedOutbound(std::move(message));
            });
    }
    void send(ConnectionId id, const fp::sdk::SharedOutbound& message) override {
        if (!message || (message->payload.empty() && message->encoded.empty()))
            return;  // nothing a client could read: never an empty frame
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
    std::function<void(const std::string&)> rememberWiringFailure() {
        return [this](const std::string& text) {
            std::lock_guard<std::mutex> lock(wiringMutex_);
            if (wiringFailure_.empty())
                wiringFailure_ = text;
        };
    }

    PluginFaultReporter reporter_;
    PluginFaultReporter coreReporter_;
    std::mutex wiringMutex_;
    std::string wiringFailure_;  // the first wiring call that threw, as reported
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
