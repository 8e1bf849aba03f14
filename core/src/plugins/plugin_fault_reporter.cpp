#include "plugins/plugin_fault_reporter.hpp"

namespace fp::plugins {

PluginFaultReporter::PluginFaultReporter(std::string label, std::shared_ptr<spdlog::logger> logger)
    : label_(std::move(label)), logger_(std::move(logger)) {}

std::string PluginFaultReporter::report(const char* call, const char* what) const {
    std::string text = label_ + " threw from " + call + ": " + what;
    std::uint64_t n = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        n = ++counts_[call];
    }
    if (logger_ && (n <= 10 || n % 1000 == 0)) {
        logger_->error("{} (exception caught at the plugin boundary, {} so far from this call)",
                       text, n);
    }
    return text;
}

std::uint64_t PluginFaultReporter::count(const std::string& call) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = counts_.find(call);
    return it == counts_.end() ? 0 : it->second;
}

}  // namespace fp::plugins
