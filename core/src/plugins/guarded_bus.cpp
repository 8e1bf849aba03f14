// The guard around a bus plugin: a throw answers `unavailable`. The listener the core sets is
// itself wrapped, so a core failure never unwinds into the bus's own threads.
#include "plugins/guarded_lifecycle.hpp"
#include "plugins/guarded_plugins.hpp"

namespace fp::plugins {
namespace {
using fp::sdk::Status;
using fp::sdk::StatusCode;

Status unavailable(std::string text) {
    return Status::failure(StatusCode::unavailable, std::move(text));
}

class GuardedBusListener final : public fp::sdk::BusListener {
  public:
    GuardedBusListener(fp::sdk::BusListener* inner, const PluginFaultReporter& reporter)
        : inner_(inner), reporter_(reporter) {}
    void onRoomState(const std::string& roomId, std::uint64_t version,
                     const std::string& payload) override {
        callGuarded(
            reporter_, "the core's onRoomState",
            [&] { inner_->onRoomState(roomId, version, payload); }, [](const std::string&) {});
    }
    void onResync() override {
        callGuarded(
            reporter_, "the core's onResync", [&] { inner_->onResync(); },
            [](const std::string&) {});
    }

  private:
    fp::sdk::BusListener* inner_;
    const PluginFaultReporter& reporter_;
};

class GuardedBus final : public fp::sdk::Bus {
  public:
    GuardedBus(std::shared_ptr<fp::sdk::Bus> inner, std::string label,
               std::shared_ptr<spdlog::logger> logger)
        : reporter_(std::move(label), logger),
          coreReporter_("core (called by " + reporter_.label() + ")", logger),
          inner_(std::move(inner)) {}

    Status start() override { return detail::guardedStart(reporter_, *inner_); }
    void stop() override { detail::guardedStop(reporter_, *inner_); }
    fp::sdk::Readiness readiness() const override {
        return detail::guardedReadiness(reporter_, *inner_);
    }

    // Called before start() and after stop(), never while the bus delivers, so replacing the
    // wrapper here is safe.
    void setListener(fp::sdk::BusListener* listener) override {
        auto wrapped =
            listener ? std::make_unique<GuardedBusListener>(listener, coreReporter_) : nullptr;
        callGuarded(
            reporter_, "setListener", [&] { inner_->setListener(wrapped.get()); },
            [](const std::string&) {});
        listener_ = std::move(wrapped);
    }
    Status publish(const std::string& roomId, std::uint64_t version,
                   const std::string& payload) override {
        return callGuarded(
            reporter_, "publish", [&] { return inner_->publish(roomId, version, payload); },
            unavailable);
    }
    Status subscribe(const std::string& roomId) override {
        return callGuarded(
            reporter_, "subscribe", [&] { return inner_->subscribe(roomId); }, unavailable);
    }
    Status unsubscribe(const std::string& roomId) override {
        return callGuarded(
            reporter_, "unsubscribe", [&] { return inner_->unsubscribe(roomId); }, unavailable);
    }

  private:
    PluginFaultReporter reporter_;
    PluginFaultReporter coreReporter_;
    std::unique_ptr<GuardedBusListener> listener_;
    // Last, so destroyed first: a bus whose threads still run while it is destroyed (stop()
    // was never called) can still reach the listener wrapper and the reporters.
    std::shared_ptr<fp::sdk::Bus> inner_;
};
}  // namespace

std::shared_ptr<fp::sdk::Bus> guardBus(std::shared_ptr<fp::sdk::Bus> inner, std::string label,
                                       std::shared_ptr<spdlog::logger> logger) {
    return std::make_shared<GuardedBus>(std::move(inner), std::move(label), std::move(logger));
}

}  // namespace fp::plugins
