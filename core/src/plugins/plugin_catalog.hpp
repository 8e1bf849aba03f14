// Where plugins are found: the folders searched, in order, for fire-poker-<name>.so.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugins/plugin_library.hpp"

namespace fp::plugins {

struct CatalogEntry {
    std::string path;
    std::shared_ptr<PluginLibrary> library;  // null when it could not be opened
    std::string error;                       // why, when it could not
};

class PluginCatalog {
  public:
    explicit PluginCatalog(std::vector<std::string> folders) : folders_(std::move(folders)) {}

    // Folders from `extraPath` (':'-separated), then FP_PLUGIN_PATH, then beside the
    // executable (<exe>/../plugins, <exe>/../lib/fire-poker/plugins).
    static PluginCatalog standard(const std::string& extraPath, const std::string& envPluginPath);

    const std::vector<std::string>& folders() const { return folders_; }
    static std::string fileNameFor(const std::string& pluginName);

    // Opens the named plugin; throws std::runtime_error naming every path searched when it is
    // missing, or the loader's reason when it is refused.
    std::shared_ptr<PluginLibrary> open(const std::string& pluginName) const;
    std::vector<CatalogEntry> listAll() const;

  private:
    std::vector<std::string> folders_;
};

std::string executableDirectory();

}  // namespace fp::plugins
