// A PluginContext for tests outside the server: options filled from the manifest's defaults
// as the core fills them (overrides given by the test win), a logger that prints warnings and
// errors to stderr, and a metrics handle that records (recording_metrics.hpp).
//
//   auto context = fp::testkit::contextFor(myManifest(), {{"folder", std::string("/tmp/x")}});
//   MySink sink(context);
#pragma once

#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/plugin.hpp"
#include "firepoker/testkit/recording_metrics.hpp"

namespace fp::testkit {

class StderrLogger final : public fp::sdk::Logger {
  public:
    explicit StderrLogger(std::string name) : name_(std::move(name)) {}
    void log(fp::sdk::LogLevel level, std::string_view message) override {
        if (level >= fp::sdk::LogLevel::warn)
            std::cerr << "[" << name_ << "] " << message << "\n";
    }

  private:
    std::string name_;
};

namespace detail {
// A default as the manifest holds it (JSON text) turned into the option's value.
inline fp::sdk::OptionValue defaultValueOf(const fp::sdk::OptionSpec& spec) {
    const std::string& text = *spec.defaultValue;
    switch (spec.type) {
        case fp::sdk::OptionType::boolean:
            return text == "true";
        case fp::sdk::OptionType::integer:
            return static_cast<std::int64_t>(std::stoll(text));
        case fp::sdk::OptionType::number:
            return std::stod(text);
        case fp::sdk::OptionType::string:
            break;
    }
    std::string value;  // a JSON string: drop the quotes, undo \" and \\ (all a default needs)
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\' && i + 2 < text.size())
            ++i;
        value += text[i];
    }
    return value;
}
}  // namespace detail

// Throws std::invalid_argument for an override the manifest does not declare, and for a
// required option (no default) the test did not give.
inline fp::sdk::PluginContext contextFor(const fp::sdk::Manifest& manifest,
                                         const std::map<std::string, fp::sdk::OptionValue>& options,
                                         const std::string& instanceName = "test") {
    fp::sdk::PluginContext context;
    context.instanceName = instanceName;
    context.serverInstanceId = "test-instance";
    for (const auto& [name, value] : options) {
        bool declared = false;
        for (const auto& spec : manifest.options)
            declared = declared || spec.name == name;
        if (!declared)
            throw std::invalid_argument(manifest.name + " declares no option " + name);
        context.options.set(name, value);
    }
    for (const auto& spec : manifest.options) {
        if (context.options.has(spec.name))
            continue;
        if (!spec.defaultValue) {
            if (spec.secret)
                continue;  // secrets are absent unless set, as in the server
            throw std::invalid_argument(manifest.name + " needs option " + spec.name);
        }
        context.options.set(spec.name, detail::defaultValueOf(spec));
    }
    context.logger = std::make_shared<StderrLogger>(instanceName);
    context.metrics = std::make_shared<RecordingMetrics>();
    return context;
}

}  // namespace fp::testkit
