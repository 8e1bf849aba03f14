// The metrics plugins register through their PluginContext::metrics handle: one family per
// name, one series per (plugin instance, labels), rendered at /metrics after the core's own as
// fp_plugin_<name>{plugin_instance="...",...}.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "firepoker/sdk/logger.hpp"
#include "firepoker/sdk/metrics.hpp"

namespace fp::metrics {

class PluginMetricSeries;

class PluginMetricFamilies {
  public:
    // The series of `instance` named `name` with `labels`: made on first use, the same object
    // afterwards. Returns nullptr and says why in `problem` when the registration is refused
    // (see fp::sdk::metricProblem, a name already used with another type, too many series).
    std::shared_ptr<PluginMetricSeries> series(fp::sdk::MetricType type,
                                               const std::string& instance, const std::string& name,
                                               const std::string& help,
                                               const fp::sdk::MetricLabels& labels,
                                               std::string& problem);

    void renderPrometheus(std::string& out) const;

  private:
    struct Family {
        fp::sdk::MetricType type;
        std::string help;
        // The label text ("plugin_instance=\"a\",k=\"v\"") -> its series, in a stable order.
        std::map<std::string, std::shared_ptr<PluginMetricSeries>> series;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;  // by exported name (fp_plugin_...)
    std::map<std::string, std::size_t> seriesPerInstance_;
};

// The handle one plugin instance gets. Refusals are logged through the plugin's own logger (so
// the line names the instance) and answered with a handle that does nothing.
std::shared_ptr<fp::sdk::Metrics> pluginMetricsHandle(
    std::shared_ptr<PluginMetricFamilies> families, std::string instanceName,
    std::shared_ptr<fp::sdk::Logger> logger);

}  // namespace fp::metrics
