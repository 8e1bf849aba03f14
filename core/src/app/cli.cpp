#include "app/cli.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <iostream>
#include <sstream>

#include "app/plugin_set.hpp"
#include "app/replay_results.hpp"
#include "app/server.hpp"
#include "app/startup_checks.hpp"
#include "config/config_loader.hpp"
#include "config/core_settings.hpp"
#include "config/environment.hpp"
#include "metrics/metrics_registry.hpp"
#include "plugins/plugin_catalog.hpp"

namespace fp::app {
namespace {
plugins::PluginCatalog catalogFor(const config::AppConfig& config, const config::Environment& env) {
    auto it = env.find("FP_PLUGIN_PATH");
    return plugins::PluginCatalog::standard(config.server.pluginPath,
                                            it == env.end() ? std::string() : it->second);
}

// Loads a config and its plugins' manifests; prints every problem. Returns false on any.
bool loadAndResolve(const std::string& file, const config::Environment& env,
                    config::AppConfig& config, OpenedLibraries& opened) {
    auto loaded = config::loadConfig(file, env);
    config = loaded.config;
    auto problems = loaded.problems;
    auto more = resolvePlugins(config, catalogFor(config, env), env, opened);
    problems.insert(problems.end(), more.begin(), more.end());
    for (const auto& problem : problems)
        std::cerr << problem.describe() << "\n";
    return problems.empty();
}

// 16777216, not 1.67772e+07; fractions as they are.
std::string formatLimit(double value) {
    if (value == static_cast<double>(static_cast<long long>(value))) {
        return std::to_string(static_cast<long long>(value));
    }
    std::ostringstream out;
    out << value;
    return out.str();
}

Poco::Dynamic::Var toJson(const fp::sdk::OptionValue& value) {
    return std::visit([](const auto& v) { return Poco::Dynamic::Var(v); }, value);
}

Poco::JSON::Object::Ptr optionsJson(const fp::sdk::PluginOptions& options,
                                    const std::vector<fp::sdk::OptionSpec>& specs) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object();
    for (const auto& spec : specs) {
        if (!options.has(spec.name))
            continue;
        // Secrets are never printed, only whether they are set.
        object->set(spec.name, spec.secret ? Poco::Dynamic::Var("<redacted>")
                                           : toJson(options.all().at(spec.name)));
    }
    return object;
}
}  // namespace

std::string usageText() {
    return "usage: fire-poker [--config FILE] [--listen HOST:PORT]\n"
           "       fire-poker --check-config FILE   validate a config and its plugins' options\n"
           "       fire-poker --print-config FILE   print the effective config (secrets redacted)\n"
           "       fire-poker --list-plugins         print the manifests of the plugins found\n"
           "       fire-poker --list-settings        print the core settings (a Markdown table)\n"
           "       fire-poker --healthcheck URL      exit 0 when URL (/healthz) answers 200\n"
           "       fire-poker replay-results [--config FILE] [--dry-run] LOG...\n"
           "                                         deliver the results in captured logs that\n"
           "                                         were not delivered (LOG - = stdin)\n"
           "       fire-poker --help | --version\n"
           "Every config key can be set from the environment: FP_ + the key path in upper case\n"
           "joined by '_', e.g. FP_SERVER_LISTEN, FP_STORAGE_PLUGIN, FP_SINKS_0_OPTIONS_PATH.\n";
}

namespace {
// replay-results [--config FILE] [--dry-run] LOG...
CommandLine parseReplay(const std::vector<std::string>& args) {
    CommandLine command;
    command.action = CommandLine::Action::replayResults;
    for (std::size_t i = 1; i < args.size() && command.error.empty(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--config") {
            if (i + 1 >= args.size())
                command.error = "--config needs a value";
            else
                command.replay.configFile = args[++i];
        } else if (arg == "--dry-run") {
            command.replay.dryRun = true;
        } else if (arg == "--help" || arg == "-h") {
            command.action = CommandLine::Action::help;
        } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
            command.error = "replay-results: unknown option '" + arg + "'";
        } else {
            command.replay.files.push_back(arg);
        }
    }
    return command;
}
}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "replay-results")
        return parseReplay(args);
    CommandLine command;
    auto value = [&](std::size_t& i, const std::string& flag) -> std::string {
        if (i + 1 >= args.size()) {
            command.error = flag + " needs a value";
            return "";
        }
        return args[++i];
    };
    for (std::size_t i = 0; i < args.size() && command.error.empty(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--config") {
            command.configFile = value(i, arg);
        } else if (arg == "--listen") {
            command.listen = value(i, arg);
        } else if (arg == "--check-config") {
            command.action = CommandLine::Action::checkConfig;
            command.configFile = value(i, arg);
        } else if (arg == "--print-config") {
            command.action = CommandLine::Action::printConfig;
            command.configFile = value(i, arg);
        } else if (arg == "--list-plugins") {
            command.action = CommandLine::Action::listPlugins;
        } else if (arg == "--list-settings") {
            command.action = CommandLine::Action::listSettings;
        } else if (arg == "--healthcheck") {
            command.action = CommandLine::Action::healthcheck;
            command.url = value(i, arg);
        } else if (arg == "--help" || arg == "-h") {
            command.action = CommandLine::Action::help;
        } else if (arg == "--version") {
            command.action = CommandLine::Action::version;
        } else {
            command.error = "unknown argument '" + arg + "'";
        }
    }
    return command;
}

int checkConfig(const std::string& file) {
    const auto env = config::processEnvironment();
    auto loaded = config::loadConfig(file, env);
    config::AppConfig& config = loaded.config;
    metrics::MetricsRegistry metrics;
    // [startup checks, issue 15] The very checks start-up makes (app/startup_checks.hpp): the
    // plugins are made, never started.
    StartupCheck checked =
        checkStartup(config, loaded.problems, env, "check-config", metrics.pluginMetrics());
    for (const auto& warning : checked.warnings)
        std::cerr << "warning: " << warning << "\n";
    if (!checked.ok()) {
        for (const auto& problem : checked.problems)
            std::cerr << problem.describe() << "\n";
        std::cerr << file << ": configuration is not valid\n";
        return 2;
    }
    std::cout << file << ": OK (transport " << config.transport.plugin << ", storage "
              << config.storage.plugin << ", bus " << config.bus.plugin << ", "
              << config.sinks.size() << " sinks)\n";
    return 0;
}

int printConfig(const std::string& file) {
    config::AppConfig config;
    OpenedLibraries opened;
    if (!loadAndResolve(file, config::processEnvironment(), config, opened))
        return 2;
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    // Every core setting, from the one table (core_settings.cpp).
    for (const auto& section : config::coreSections()) {
        Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& setting : config::coreSettings()) {
            if (setting.section == section)
                object->set(setting.spec.name, toJson(setting.read(config)));
        }
        root->set(section, object);
    }
    auto plugin = [&](const config::PluginChoice& choice) {
        Poco::JSON::Object::Ptr object = new Poco::JSON::Object();
        if (choice.kind == fp::sdk::PluginKind::sink)
            object->set("name", choice.instanceName);
        object->set("plugin", choice.plugin);
        auto it = opened.find(choice.plugin);
        if (it != opened.end())
            object->set("options", optionsJson(choice.options, it->second->manifest().options));
        return object;
    };
    root->set("transport", plugin(config.transport));
    root->set("storage", plugin(config.storage));
    root->set("bus", plugin(config.bus));
    Poco::JSON::Array::Ptr sinks = new Poco::JSON::Array();
    for (const auto& sink : config.sinks)
        sinks->add(plugin(sink));
    root->set("sinks", sinks);
    root->stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
}

int listPlugins() {
    auto env = config::processEnvironment();
    const auto defaults = config::defaultConfig();
    auto catalog = catalogFor(defaults, env);
    std::cout << "Searched:";
    for (const auto& folder : catalog.folders())
        std::cout << " " << folder;
    std::cout << "\n";
    int refused = 0;
    for (const auto& entry : catalog.listAll()) {
        if (!entry.library) {
            std::cout << "\n" << entry.path << ": REFUSED: " << entry.error << "\n";
            ++refused;
            continue;
        }
        const auto& m = entry.library->manifest();
        std::cout << "\n"
                  << m.name << " " << m.version << " (" << fp::sdk::toString(m.kind) << ", SDK ABI "
                  << m.abiVersion << ", " << m.buildSignature << ")\n"
                  << "  " << m.description << "\n  file: " << entry.path << "\n";
        if (!m.capabilities.empty()) {
            std::cout << "  capabilities:";
            for (const auto& capability : m.capabilities)
                std::cout << " " << capability;
            std::cout << "\n";
        }
        for (const auto& o : m.options) {
            std::cout << "  option " << o.name << " (" << fp::sdk::toString(o.type);
            if (o.defaultValue)
                std::cout << ", default " << *o.defaultValue;
            if (o.minimum)
                std::cout << ", min " << formatLimit(*o.minimum);
            if (o.maximum)
                std::cout << ", max " << formatLimit(*o.maximum);
            if (o.secret)
                std::cout << ", secret: environment only";
            std::cout << "): " << o.description << "\n";
        }
    }
    return 0;
}

int listSettings() {
    // docs/configuration.md holds this very table (a test compares them).
    std::cout << "| key | type | default | range | environment | meaning |\n"
              << "| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& setting : config::coreSettings()) {
        const auto& spec = setting.spec;
        const std::string key = setting.section + "." + spec.name;
        std::string range;
        if (spec.minimum || spec.maximum) {
            range = (spec.minimum ? formatLimit(*spec.minimum) : "") + ".." +
                    (spec.maximum ? formatLimit(*spec.maximum) : "");
        }
        std::cout << "| `" << key << "` | " << fp::sdk::toString(spec.type) << " | `"
                  << spec.defaultValue.value_or("") << "` | " << range << " | `"
                  << config::environmentName(key) << "` | " << spec.description

                  << " |\n";
    }
    return 0;
}

int healthcheck(const std::string& url) {
    try {
        Poco::URI uri(url);
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(3, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                       uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response);
        if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
            return 0;
        std::cerr << url << " answered " << static_cast<int>(response.getStatus()) << "\n";
    } catch (const Poco::Exception& e) {
        std::cerr << url << ": " << e.displayText() << "\n";
    } catch (const std::exception& e) {
        std::cerr << url << ": " << e.what() << "\n";
    }
    return 1;
}

int runCli(const CommandLine& command) {
    using Action = CommandLine::Action;
    if (!command.error.empty()) {
        std::cerr << "fire-poker: " << command.error << "\n" << usageText();
        return 64;
    }
    switch (command.action) {
        case Action::help:
            std::cout << usageText();
            return 0;
        case Action::version:
            std::cout << "fire-poker " << FP_VERSION << "\n";
            return 0;
        case Action::checkConfig:
            return checkConfig(command.configFile);
        case Action::printConfig:
            return printConfig(command.configFile);
        case Action::listPlugins:
            return listPlugins();
        case Action::listSettings:
            return listSettings();
        case Action::healthcheck:
            return healthcheck(command.url);
        case Action::replayResults:
            // [replay-results, issue 15] app/replay_results.hpp
            return replayResults(command.replay, std::cout, std::cerr);
        case Action::run:
            break;
    }
    auto env = config::processEnvironment();
    auto loaded = config::loadConfig(command.configFile, env);
    if (!command.listen.empty())
        loaded.config.server.listen = command.listen;
    // The file's own problems go to the server's start-up checks with the others, so a bad
    // config is reported whole, as --check-config reports it.
    Server server(std::move(loaded.config), std::move(env), std::move(loaded.problems));
    return server.run();
}

}  // namespace fp::app
