// The guard around a sink plugin: a throw from deliver pauses that sink (the delivery worker
// probes it again later and the other sinks go on); readHistory answers `unavailable`.
#include "plugins/guarded_lifecycle.hpp"
#include "plugins/guarded_plugins.hpp"

namespace fp::plugins {
namespace {
using fp::sdk::Status;
using fp::sdk::StatusCode;

class GuardedSink final : public fp::sdk::Sink {
  public:
    GuardedSink(std::shared_ptr<fp::sdk::Sink> inner, std::string label,
                std::shared_ptr<spdlog::logger> logger)
        : inner_(std::move(inner)), reporter_(std::move(label), std::move(logger)) {}

    Status start() override { return detail::guardedStart(reporter_, *inner_); }
    void stop() override { detail::guardedStop(reporter_, *inner_); }
    fp::sdk::Readiness readiness() const override {
        return detail::guardedReadiness(reporter_, *inner_);
    }

    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override {
        return callGuarded(
            reporter_, "deliver", [&] { return inner_->deliver(resultId, resultJson); },
            [](std::string text) {
                return fp::sdk::DeliveryResult{
                    fp::sdk::DeliveryOutcome::paused, {}, std::move(text)};
            });
    }
    bool canReadHistory() const override {
        return callGuarded(
            reporter_, "canReadHistory", [&] { return inner_->canReadHistory(); },
            [](const std::string&) { return false; });
    }
    fp::sdk::HistoryResult readHistory(const std::string& roomId) override {
        return callGuarded(
            reporter_, "readHistory", [&] { return inner_->readHistory(roomId); },
            [](std::string text) {
                return fp::sdk::HistoryResult{
                    Status::failure(StatusCode::unavailable, std::move(text)), {}};
            });
    }

  private:
    std::shared_ptr<fp::sdk::Sink> inner_;
    PluginFaultReporter reporter_;
};
}  // namespace

std::shared_ptr<fp::sdk::Sink> guardSink(std::shared_ptr<fp::sdk::Sink> inner, std::string label,
                                         std::shared_ptr<spdlog::logger> logger) {
    return std::make_shared<GuardedSink>(std::move(inner), std::move(label), std::move(logger));
}

}  // namespace fp::plugins
