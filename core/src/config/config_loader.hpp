// Reads a JSON config file into an AppConfig, listing every problem found.
#pragma once

#include <string>

#include "config/app_config.hpp"
#include "config/config_problem.hpp"
#include "config/environment.hpp"

namespace fp::config {

struct LoadedConfig {
    AppConfig config;
    ConfigProblems problems;  // empty = usable (plugin options are checked once manifests load)
};

// path "" gives the built-in defaults (the embedded default without a sink).
LoadedConfig loadConfig(const std::string& path, const Environment& env);
LoadedConfig loadConfigText(const std::string& text, const std::string& file,
                            const std::string& configDirectory, const Environment& env);
// Every setting at its default (no file, no environment).
AppConfig defaultConfig();

}  // namespace fp::config
