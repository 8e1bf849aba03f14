// One opened plugin file: its checked manifest, and the factory for its objects.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/plugin.hpp"

namespace fp::plugins {

class PluginLibrary {
  public:
    // Opens the file and checks it: entry points present, ABI version and build signature
    // equal to the server's. Throws std::runtime_error naming the file and the mismatch.
    static std::shared_ptr<PluginLibrary> open(const std::string& path);

    const std::string& path() const { return path_; }
    const fp::sdk::Manifest& manifest() const { return manifest_; }
    const std::string& manifestJson() const { return manifestJson_; }

    // The plugin's own checks of option values (its optional static checkOptions), run on
    // options already validated against the manifest. One problem per element; none = fine.
    // Never throws: a check that threw is one problem naming the plugin.
    std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options) const;

    // Makes a plugin object. The object holds this library loaded until it is destroyed.
    // Throws std::runtime_error with the plugin's own message when its constructor failed.
    std::shared_ptr<fp::sdk::Plugin> create(const fp::sdk::PluginContext& context) const;

  private:
    PluginLibrary() = default;

    std::shared_ptr<boost::dll::shared_library> library_;
    std::string path_;
    fp::sdk::Manifest manifest_;
    std::string manifestJson_;
};

}  // namespace fp::plugins
