// Opens the project's plugins from the build tree with the server's own loader and makes
// objects of them with options validated (defaults filled) as the server would.
#pragma once

#include <memory>
#include <string>

#include "firepoker/sdk/plugin.hpp"

namespace fp::testing {

// `optionsJson` is the plugin's "options" object as in a config file. Throws
// std::runtime_error naming the plugin and every option problem.
std::shared_ptr<fp::sdk::Plugin> makeBuiltPlugin(const std::string& pluginName,
                                                 const std::string& optionsJson = "{}",
                                                 const std::string& instanceId = "test-instance");

template <typename Kind>
std::shared_ptr<Kind> makeBuilt(const std::string& pluginName,
                                const std::string& optionsJson = "{}") {
    return std::static_pointer_cast<Kind>(makeBuiltPlugin(pluginName, optionsJson));
}

}  // namespace fp::testing
