#include "redis_plugin_support.hpp"

#include <stdexcept>

#include "firepoker/testkit/recording_metrics.hpp"

namespace fp::testing {

fp::sdk::PluginContext contextFor(const fp::sdk::Manifest& manifest, const Overrides& overrides) {
    fp::sdk::PluginOptions options;
    for (const auto& spec : manifest.options) {
        if (!spec.defaultValue)
            continue;
        const std::string& text = *spec.defaultValue;
        switch (spec.type) {
            case fp::sdk::OptionType::integer:
                options.set(spec.name, static_cast<std::int64_t>(std::stoll(text)));
                break;
            case fp::sdk::OptionType::number:
                options.set(spec.name, std::stod(text));
                break;
            case fp::sdk::OptionType::boolean:
                options.set(spec.name, text == "true");
                break;
            case fp::sdk::OptionType::string:
                options.set(spec.name, text.substr(1, text.size() - 2));
                break;
        }
    }
    for (const auto& [name, value] : overrides)
        options.set(name, value);
    fp::sdk::PluginContext context;
    context.instanceName = manifest.name;
    context.serverInstanceId = "unit-test";
    context.options = options;
    context.logger = std::make_shared<CapturingLogger>();
    context.metrics = std::make_shared<fp::testkit::RecordingMetrics>();
    return context;
}

void CapturingLogger::log(fp::sdk::LogLevel /*level*/, std::string_view message) {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.emplace_back(message);
}

std::vector<std::string> CapturingLogger::lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
}

bool CapturingLogger::contains(const std::string& text) const {
    for (const auto& line : lines()) {
        if (line.find(text) != std::string::npos)
            return true;
    }
    return false;
}

void BusRecorder::onRoomState(const std::string& roomId, std::uint64_t version,
                              const std::string& payload) {
    std::lock_guard<std::mutex> lock(mutex_);
    states_.push_back({roomId, version, payload});
}

void BusRecorder::onResync() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++resyncs_;
}

std::vector<BusRecorder::State> BusRecorder::states() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return states_;
}

int BusRecorder::resyncs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return resyncs_;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

}  // namespace fp::testing
