// The plugins a config names: found, checked against their manifests, created.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/app_config.hpp"
#include "config/config_problem.hpp"
#include "config/environment.hpp"
#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/sdk/transport.hpp"
#include "metrics/plugin_metrics.hpp"
#include "plugins/plugin_catalog.hpp"

namespace fp::app {

using OpenedLibraries = std::map<std::string, std::shared_ptr<plugins::PluginLibrary>>;

// Opens every plugin the config names, checks its kind and validates its options against
// its manifest (filling PluginChoice::options). Every problem is reported, none thrown.
config::ConfigProblems resolvePlugins(config::AppConfig& config,
                                      const plugins::PluginCatalog& catalog,
                                      const config::Environment& env, OpenedLibraries& opened);

struct PluginSet {
    std::shared_ptr<fp::sdk::Transport> transport;
    std::shared_ptr<fp::sdk::Storage> storage;
    std::shared_ptr<fp::sdk::Bus> bus;
    std::vector<std::pair<std::string, std::shared_ptr<fp::sdk::Sink>>> sinks;
};

using NamedSinks = std::vector<std::pair<std::string, std::shared_ptr<fp::sdk::Sink>>>;

// Creates one object per configured plugin (none is started), each with its logger and a
// metrics handle that registers into `metrics`, wrapped in its guard. A constructor that
// throws is one problem naming its section and the plugin's message; every plugin is tried,
// and the set is complete only when no problem was added.
PluginSet createPlugins(const config::AppConfig& config, const OpenedLibraries& opened,
                        const std::string& serverInstanceId,
                        const std::shared_ptr<metrics::PluginMetricFamilies>& metrics,
                        config::ConfigProblems& problems);
// The sinks alone, in config order (replay-results), as createPlugins makes them.
NamedSinks createSinks(const config::AppConfig& config, const OpenedLibraries& opened,
                       const std::string& serverInstanceId,
                       const std::shared_ptr<metrics::PluginMetricFamilies>& metrics,
                       config::ConfigProblems& problems);

}  // namespace fp::app
