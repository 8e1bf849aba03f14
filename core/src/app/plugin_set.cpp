#include "app/plugin_set.hpp"

#include "config/option_validation.hpp"
#include "logging/log_setup.hpp"
#include "metrics/plugin_metrics.hpp"
#include "plugins/guarded_plugins.hpp"

namespace fp::app {
namespace {
std::vector<config::PluginChoice*> choices(config::AppConfig& config) {
    std::vector<config::PluginChoice*> all = {&config.transport, &config.storage, &config.bus};
    for (auto& sink : config.sinks)
        all.push_back(&sink);
    return all;
}

std::shared_ptr<fp::sdk::Plugin> make(
    const config::AppConfig& config, const config::PluginChoice& choice,
    const OpenedLibraries& opened, const std::string& serverInstanceId,
    const std::shared_ptr<metrics::PluginMetricFamilies>& metrics) {
    auto it = opened.find(choice.plugin);
    if (it == opened.end())
        throw std::runtime_error("plugin " + choice.plugin + " was not opened");
    fp::sdk::PluginContext context;
    context.instanceName = choice.instanceName;
    context.serverInstanceId = serverInstanceId;
    context.configDirectory = config.configDirectory;
    context.options = choice.options;
    context.logger = logging::pluginLogger(choice.instanceName);
    context.metrics = metrics::pluginMetricsHandle(metrics, choice.instanceName, context.logger);
    return it->second->create(context);
}
}  // namespace

config::ConfigProblems resolvePlugins(config::AppConfig& config,
                                      const plugins::PluginCatalog& catalog,
                                      const config::Environment& env, OpenedLibraries& opened) {
    config::ConfigProblems problems;
    for (config::PluginChoice* choice : choices(config)) {
        if (choice->plugin.empty())
            continue;  // already reported by the loader
        std::shared_ptr<plugins::PluginLibrary> library;
        if (auto it = opened.find(choice->plugin); it != opened.end()) {
            library = it->second;
        } else {
            try {
                library = catalog.open(choice->plugin);
                opened[choice->plugin] = library;
            } catch (const std::exception& e) {
                problems.push_back({config.file, choice->section + ".plugin", e.what()});
                continue;
            }
        }
        const auto& manifest = library->manifest();
        if (manifest.kind != choice->kind) {
            problems.push_back({config.file, choice->section + ".plugin",
                                "plugin " + choice->plugin + " is a " +
                                    fp::sdk::toString(manifest.kind) + " plugin, not a " +
                                    fp::sdk::toString(choice->kind) + " plugin"});
            continue;
        }
        const auto before = problems.size();
        choice->options =
            config::resolveOptions(manifest.options, choice->rawOptions,
                                   {config.file, choice->section + ".options"}, env, problems);
        // The plugin's own checks, only on options that passed the manifest's.
        if (problems.size() == before) {
            for (auto& problem : library->checkOptions(choice->options))
                problems.push_back({config.file, choice->section + ".options", std::move(problem)});
        }
    }
    return problems;
}

PluginSet createPlugins(const config::AppConfig& config, const OpenedLibraries& opened,
                        const std::string& serverInstanceId,
                        const std::shared_ptr<metrics::PluginMetricFamilies>& metrics) {
    PluginSet set;
    auto log = logging::coreLogger();
    auto label = [](const std::string& role, const config::PluginChoice& choice) {
        return role + " (plugin " + choice.plugin + ")";
    };
    // static_pointer_cast is safe: the export macro derives the manifest's kind from the
    // class, and resolvePlugins checked that kind against the section. Every object is
    // wrapped in its guard, so the core never calls a plugin unguarded.
    set.storage =
        plugins::guardStorage(std::static_pointer_cast<fp::sdk::Storage>(
                                  make(config, config.storage, opened, serverInstanceId, metrics)),
                              label("storage", config.storage), log);
    set.bus = plugins::guardBus(std::static_pointer_cast<fp::sdk::Bus>(
                                    make(config, config.bus, opened, serverInstanceId, metrics)),
                                label("bus", config.bus), log);
    for (const auto& sink : config.sinks) {
        set.sinks.emplace_back(
            sink.instanceName,
            plugins::guardSink(std::static_pointer_cast<fp::sdk::Sink>(
                                   make(config, sink, opened, serverInstanceId, metrics)),
                               label("sink " + sink.instanceName, sink), log));
    }
    set.transport =
        plugins::guardTransport(std::static_pointer_cast<fp::sdk::Transport>(make(
                                    config, config.transport, opened, serverInstanceId, metrics)),
                                label("transport", config.transport), log);
    return set;
}

}  // namespace fp::app
