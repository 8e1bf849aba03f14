// The lifecycle calls every guard shares (start, stop, readiness), written once.
#pragma once

#include "firepoker/sdk/plugin.hpp"
#include "plugins/plugin_fault_reporter.hpp"

namespace fp::plugins::detail {

inline fp::sdk::Status guardedStart(const PluginFaultReporter& reporter, fp::sdk::Plugin& inner) {
    return callGuarded(
        reporter, "start", [&] { return inner.start(); },
        [](std::string text) {
            return fp::sdk::Status::failure(fp::sdk::StatusCode::internal, text);
        });
}

inline void guardedStop(const PluginFaultReporter& reporter, fp::sdk::Plugin& inner) {
    callGuarded(
        reporter, "stop", [&] { inner.stop(); }, [](const std::string&) {});
}

inline fp::sdk::Readiness guardedReadiness(const PluginFaultReporter& reporter,
                                           const fp::sdk::Plugin& inner) {
    return callGuarded(
        reporter, "readiness", [&] { return inner.readiness(); },
        [](std::string text) {
            return fp::sdk::Readiness{false, std::move(text)};
        });
}

}  // namespace fp::plugins::detail
