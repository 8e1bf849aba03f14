// What a guard does when a plugin throws out of a call: one log line that names the plugin
// instance, the plugin file's name and the call, and the text the core reports instead
// (a Status message, a delivery reason, a readiness reason).
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace fp::plugins {

class PluginFaultReporter {
  public:
    // label: who the plugin is, e.g. "sink results-file (plugin sink-jsonl)".
    PluginFaultReporter(std::string label, std::shared_ptr<spdlog::logger> logger);

    const std::string& label() const { return label_; }

    // Logs the failure and returns "<label> threw from <call>: <what>". A plugin that throws
    // on every call would flood the log: the first ten throws of a call are logged, then
    // every thousandth, each with the running count.
    std::string report(const char* call, const char* what) const;

    // How many times `call` threw so far (for tests and diagnostics).
    std::uint64_t count(const std::string& call) const;

  private:
    std::string label_;
    std::shared_ptr<spdlog::logger> logger_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::uint64_t> counts_;
};

// Runs `body`; when it throws, hands the reporter's text to `onFault` and returns what that
// gives. Nothing a plugin throws gets past this.
template <typename Body, typename OnFault>
auto callGuarded(const PluginFaultReporter& reporter, const char* call, Body&& body,
                 OnFault&& onFault) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return onFault(reporter.report(call, e.what()));
    } catch (...) {
        return onFault(reporter.report(call, "an exception that is not a std::exception"));
    }
}

}  // namespace fp::plugins
