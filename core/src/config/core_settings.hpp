// The core's own settings, in one table: for each, the section and key it has in the config
// file, its type, default, range and help (an OptionSpec, as plugins declare theirs), an
// optional check beyond type and range, and where its value goes in AppConfig. The loader
// (validation, environment overrides FP_<SECTION>_<KEY>, defaults), --print-config and the
// docs table (--list-settings) all read this table; AppConfig has no defaults of its own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::config {

struct CoreSetting {
    std::string section;  // "server", "log", "delivery" or "telemetry"
    fp::sdk::OptionSpec spec;
    // A path in the file is relative to the config file's folder.
    bool relativeToConfigFile = false;
    // What is wrong with a value of the right type and range; empty = fine.
    std::function<std::string(const fp::sdk::OptionValue&)> check;
    std::function<void(AppConfig&, const fp::sdk::OptionValue&)> store;
    std::function<fp::sdk::OptionValue(const AppConfig&)> read;
};

const std::vector<CoreSetting>& coreSettings();
// The core sections, in the order of the table.
const std::vector<std::string>& coreSections();
// The specs of one section, for the option validator.
std::vector<fp::sdk::OptionSpec> sectionSpecs(const std::string& section);

}  // namespace fp::config
