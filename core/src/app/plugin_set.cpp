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

namespace {
// One plugin made and guarded, or null with a problem naming its section.
template <typename Kind, typename Guard>
std::shared_ptr<Kind> makeGuarded(const config::AppConfig& config,
                                  const config::PluginChoice& choice, const std::string& role,
                                  const OpenedLibraries& opened,
                                  const std::string& serverInstanceId,
                                  const std::shared_ptr<metrics::PluginMetricFamilies>& metrics,
                                  Guard guard, config::ConfigProblems& problems) {
    try {
        // static_pointer_cast is safe: the export macro derives the manifest's kind from the
        // class, and resolvePlugins checked that kind against the section. Every object is
        // wrapped in its guard, so the core never calls a plugin unguarded.
        auto object =
            std::static_pointer_cast<Kind>(make(config, choice, opened, serverInstanceId, metrics));
        return guard(std::move(object), role + " (plugin " + choice.plugin + ")",
                     logging::coreLogger());
    } catch (const std::exception& e) {
        problems.push_back({config.file, choice.section, e.what()});
        return nullptr;
    }
}
}  // namespace

NamedSinks createSinks(const config::AppConfig& config, const OpenedLibraries& opened,
                       const std::string& serverInstanceId,
                       const std::shared_ptr<metrics::PluginMetricFamilies>& metrics,
                       config::ConfigProblems& problems) {
    NamedSinks sinks;
    for (const auto& sink : config.sinks) {
        auto made =
            makeGuarded<fp::sdk::Sink>(config, sink, "sink " + sink.instanceName, opened,
                                       serverInstanceId, metrics, plugins::guardSink, problems);
        if (made)
            sinks.emplace_back(sink.instanceName, std::move(made));
    }
    return sinks;
}

PluginSet createPlugins(const config::AppConfig& config, const OpenedLibraries& opened,
                        const std::string& serverInstanceId,
                        const std::shared_ptr<metrics::PluginMetricFamilies>& metrics,
                        config::ConfigProblems& problems) {
    PluginSet set;
    set.storage =
        makeGuarded<fp::sdk::Storage>(config, config.storage, "storage", opened, serverInstanceId,
                                      metrics, plugins::guardStorage, problems);
    set.bus = makeGuarded<fp::sdk::Bus>(config, config.bus, "bus", opened, serverInstanceId,
                                        metrics, plugins::guardBus, problems);
    set.sinks = createSinks(config, opened, serverInstanceId, metrics, problems);
    set.transport = makeGuarded<fp::sdk::Transport>(config, config.transport, "transport", opened,
                                                    serverInstanceId, metrics,
                                                    plugins::guardTransport, problems);
    return set;
}

}  // namespace fp::app
