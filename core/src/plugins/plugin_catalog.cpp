#include "plugins/plugin_catalog.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>

namespace fp::plugins {
namespace fs = std::filesystem;

namespace {
void appendSplit(std::vector<std::string>& out, const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(':', start);
        if (end == std::string::npos)
            end = list.size();
        if (end > start)
            out.push_back(list.substr(start, end - start));
        start = end + 1;
    }
}
}  // namespace

std::string executableDirectory() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

PluginCatalog PluginCatalog::standard(const std::string& extraPath,
                                      const std::string& envPluginPath) {
    std::vector<std::string> folders;
    appendSplit(folders, extraPath);
    appendSplit(folders, envPluginPath);
    const fs::path exeDir = executableDirectory();
    folders.push_back((exeDir / ".." / "plugins").lexically_normal().string());
    folders.push_back(
        (exeDir / ".." / "lib" / "fire-poker" / "plugins").lexically_normal().string());
    return PluginCatalog(std::move(folders));
}

std::string PluginCatalog::fileNameFor(const std::string& pluginName) {
    return "fire-poker-" + pluginName + ".so";
}

std::shared_ptr<PluginLibrary> PluginCatalog::open(const std::string& pluginName) const {
    static const std::regex namePattern("^[a-z0-9][a-z0-9._-]{0,63}$");
    if (!std::regex_match(pluginName, namePattern)) {
        throw std::runtime_error("plugin name '" + pluginName +
                                 "' is not valid (lower-case letters, digits, '-', '.', '_')");
    }
    std::string searched;
    for (const auto& folder : folders_) {
        fs::path candidate = fs::path(folder) / fileNameFor(pluginName);
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            auto library = PluginLibrary::open(candidate.string());
            if (library->manifest().name != pluginName) {
                throw std::runtime_error("plugin file " + candidate.string() + " calls itself '" +
                                         library->manifest().name + "', not '" + pluginName + "'");
            }
            return library;
        }
        searched += (searched.empty() ? "" : ", ") + candidate.string();
    }
    throw std::runtime_error("plugin '" + pluginName + "' not found; searched: " + searched);
}

std::vector<CatalogEntry> PluginCatalog::listAll() const {
    std::vector<CatalogEntry> entries;
    std::set<std::string> seenNames;
    for (const auto& folder : folders_) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            continue;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const auto name = entry.path().filename().string();
            if (name.rfind("fire-poker-", 0) == 0 && entry.path().extension() == ".so") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            // The first folder wins, as in open(): later copies are shadowed.
            if (!seenNames.insert(file.filename().string()).second)
                continue;
            CatalogEntry entry;
            entry.path = file.string();
            try {
                entry.library = PluginLibrary::open(entry.path);
            } catch (const std::exception& e) {
                entry.error = e.what();
            }
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

}  // namespace fp::plugins
