// Validates one JSON object of options against declared OptionSpecs, applying environment
// overrides and defaults. Used for the core's own sections and for every plugin's options.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "config/config_problem.hpp"
#include "config/environment.hpp"
#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::config {

struct OptionSource {
    std::string file;       // for problem reports
    std::string keyPrefix;  // dotted path of the object, e.g. "server" or "sinks.0.options"
};

// Unknown keys, wrong types, out-of-range values, missing required values and secrets
// written into a file are all reported; the result holds every declared option that has a
// value. Secret options come only from FP_<PATH> or the file named by FP_<PATH>_FILE.
fp::sdk::PluginOptions resolveOptions(const std::vector<fp::sdk::OptionSpec>& specs,
                                      const Poco::JSON::Object::Ptr& object,
                                      const OptionSource& source, const Environment& env,
                                      ConfigProblems& problems);

}  // namespace fp::config
