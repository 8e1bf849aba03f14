#include "config/config_loader.hpp"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config/core_settings.hpp"
#include "config/option_validation.hpp"

namespace fp::config {
namespace {
using Poco::JSON::Object;

Object::Ptr sectionObject(const Object::Ptr& root, const std::string& key, const std::string& file,
                          ConfigProblems& problems) {
    if (!root || !root->has(key))
        return nullptr;
    auto value = root->get(key);
    if (value.type() != typeid(Object::Ptr)) {
        problems.push_back({file, key, "must be an object"});
        return nullptr;
    }
    return value.extract<Object::Ptr>();
}

std::string resolvePath(const std::string& directory, const std::string& path) {
    if (path.empty() || Poco::Path(path).isAbsolute() || directory.empty())
        return path;
    Poco::Path p(directory + "/");
    p.resolve(Poco::Path(path));
    return p.toString();
}

PluginChoice parsePluginChoice(const Object::Ptr& object, const std::string& section,
                               const std::string& defaultPlugin, fp::sdk::PluginKind kind,
                               const std::string& file, const Environment& env,
                               ConfigProblems& problems) {
    PluginChoice choice;
    choice.section = section;
    choice.instanceName = section;
    choice.kind = kind;
    choice.plugin = defaultPlugin;
    std::set<std::string> allowed = {"plugin", "options"};
    if (kind == fp::sdk::PluginKind::sink)
        allowed.insert("name");
    if (object) {
        for (const auto& [key, value] : *object) {
            if (allowed.count(key) == 0)
                problems.push_back({file, section + "." + key, "unknown key"});
        }
        if (object->has("plugin")) {
            auto v = object->get("plugin");
            if (v.isString()) {
                choice.plugin = v.extract<std::string>();
            } else {
                problems.push_back({file, section + ".plugin", "must be a string"});
            }
        }
        if (object->has("options")) {
            auto v = object->get("options");
            if (v.type() == typeid(Object::Ptr)) {
                choice.rawOptions = v.extract<Object::Ptr>();
            } else {
                problems.push_back({file, section + ".options", "must be an object"});
            }
        }
    }
    if (auto it = env.find(environmentName(section + ".plugin")); it != env.end()) {
        choice.plugin = it->second;
    }
    if (choice.plugin.empty()) {
        problems.push_back(
            {file, section + ".plugin",
             "is required: the name of a " + std::string(fp::sdk::toString(kind)) + " plugin"});
    }
    return choice;
}

// Every core setting from its section (validated, environment applied, defaults filled),
// through the one table.
void loadCoreSettings(const Object::Ptr& root, const std::string& file,
                      const std::string& configDirectory, const Environment& env, AppConfig& config,
                      ConfigProblems& problems) {
    for (const auto& section : coreSections()) {
        const auto options =
            resolveOptions(sectionSpecs(section), sectionObject(root, section, file, problems),
                           {file, section}, env, problems);
        for (const auto& setting : coreSettings()) {
            if (setting.section != section || !options.has(setting.spec.name))
                continue;
            fp::sdk::OptionValue value = options.all().at(setting.spec.name);
            if (setting.check) {
                auto problem = setting.check(value);
                if (!problem.empty()) {
                    problems.push_back({file, section + "." + setting.spec.name, problem});
                    continue;
                }
            }
            if (setting.relativeToConfigFile)
                value = resolvePath(configDirectory, std::get<std::string>(value));
            setting.store(config, value);
        }
    }
}
}  // namespace

LoadedConfig loadConfigText(const std::string& text, const std::string& file,
                            const std::string& configDirectory, const Environment& env) {
    LoadedConfig loaded;
    AppConfig& config = loaded.config;
    ConfigProblems& problems = loaded.problems;
    config.file = file;
    config.configDirectory = configDirectory;

    Object::Ptr root;
    if (!text.empty()) {
        try {
            Poco::JSON::Parser parser;
            auto parsed = parser.parse(text);
            if (parsed.type() != typeid(Object::Ptr)) {
                problems.push_back({file, "", "must hold one JSON object"});
                return loaded;
            }
            root = parsed.extract<Object::Ptr>();
        } catch (const Poco::Exception& e) {
            problems.push_back({file, "", "is not valid JSON: " + e.displayText()});
            return loaded;
        }
    }

    if (root) {
        std::set<std::string> topLevel(coreSections().begin(), coreSections().end());
        topLevel.insert({"transport", "storage", "bus", "sinks"});
        for (const auto& [key, value] : *root) {
            if (topLevel.count(key) == 0)
                problems.push_back({file, key, "unknown section"});
        }
    }

    loadCoreSettings(root, file, configDirectory, env, config, problems);

    using fp::sdk::PluginKind;
    config.transport =
        parsePluginChoice(sectionObject(root, "transport", file, problems), "transport",
                          "transport-websocket", PluginKind::transport, file, env, problems);
    config.storage = parsePluginChoice(sectionObject(root, "storage", file, problems), "storage",
                                       "storage-memory", PluginKind::storage, file, env, problems);
    config.bus = parsePluginChoice(sectionObject(root, "bus", file, problems), "bus", "bus-local",
                                   PluginKind::bus, file, env, problems);

    if (root && root->has("sinks")) {
        auto value = root->get("sinks");
        if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
            problems.push_back({file, "sinks", "must be an array"});
        } else {
            auto array = value.extract<Poco::JSON::Array::Ptr>();
            std::set<std::string> names;
            static const std::regex namePattern("^[A-Za-z0-9_-]{1,64}$");
            for (std::size_t i = 0; i < array->size(); ++i) {
                const std::string section = "sinks." + std::to_string(i);
                auto item = array->get(static_cast<unsigned>(i));
                if (item.type() != typeid(Object::Ptr)) {
                    problems.push_back({file, section, "must be an object"});
                    continue;
                }
                auto object = item.extract<Object::Ptr>();
                auto choice =
                    parsePluginChoice(object, section, "", PluginKind::sink, file, env, problems);
                choice.instanceName = object->optValue<std::string>("name", choice.plugin);
                if (!std::regex_match(choice.instanceName, namePattern)) {
                    problems.push_back({file, section + ".name", "must match [A-Za-z0-9_-]{1,64}"});
                } else if (!names.insert(choice.instanceName).second) {
                    problems.push_back({file, section + ".name",
                                        "'" + choice.instanceName + "' is used by another sink"});
                }
                config.sinks.push_back(std::move(choice));
            }
        }
    }
    return loaded;
}

LoadedConfig loadConfig(const std::string& path, const Environment& env) {
    if (path.empty())
        return loadConfigText("", "", "", env);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadedConfig loaded;
        loaded.problems.push_back({path, "", "cannot be read (missing or not permitted)"});
        return loaded;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    Poco::Path absolute(Poco::Path(path).absolute());
    return loadConfigText(buffer.str(), path, absolute.parent().toString(), env);
}

AppConfig defaultConfig() {
    return loadConfigText("", "", "", {}).config;
}

}  // namespace fp::config
