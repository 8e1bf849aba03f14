#include "plugins/plugin_library.hpp"

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "firepoker/sdk/abi.hpp"
#include "plugins/manifest_parser.hpp"

namespace fp::plugins {
namespace {
using AbiVersionFn = std::uint32_t();
using ManifestFn = const char*();
using CreateFn = fp::sdk::Plugin*(const fp::sdk::PluginContext*, char*, std::size_t);
using CheckOptionsFn = int(const fp::sdk::PluginOptions*, char*, std::size_t);

void copyMessage(char* buffer, std::size_t size, const char* text) {
    std::snprintf(buffer, size, "%s", text);
}
}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& path) {
    std::shared_ptr<PluginLibrary> result(new PluginLibrary());
    result->path_ = path;
    try {
        result->library_ = std::make_shared<boost::dll::shared_library>(
            path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw std::runtime_error("plugin file " + path + " cannot be loaded: " + e.what());
    }
    auto& lib = *result->library_;
    for (const char* symbol :
         {"firepoker_plugin_abi_version", "firepoker_plugin_manifest", "firepoker_plugin_create"}) {
        if (!lib.has(symbol)) {
            throw std::runtime_error("plugin file " + path +
                                     " is not a Fire Poker plugin: symbol " + symbol +
                                     " is missing (built without FIREPOKER_PLUGIN?)");
        }
    }
    // The ABI version is plain C: safe to read whatever the plugin was built with. The entry
    // points are C functions, but a C++ plugin could still let an exception out of them.
    std::uint32_t abi = 0;
    try {
        abi = lib.get<AbiVersionFn>("firepoker_plugin_abi_version")();
    } catch (...) {
        throw std::runtime_error("plugin file " + path +
                                 " threw from firepoker_plugin_abi_version()");
    }
    if (abi != fp::sdk::kAbiVersion) {
        throw std::runtime_error("plugin file " + path + " was built for SDK ABI version " +
                                 std::to_string(abi) + "; this server expects ABI version " +
                                 std::to_string(fp::sdk::kAbiVersion) +
                                 ": rebuild the plugin against the matching SDK");
    }
    const char* manifestText = nullptr;
    try {
        manifestText = lib.get<ManifestFn>("firepoker_plugin_manifest")();
    } catch (const std::exception& e) {
        throw std::runtime_error("plugin file " + path +
                                 " threw from firepoker_plugin_manifest(): " + e.what());
    } catch (...) {
        throw std::runtime_error("plugin file " + path + " threw from firepoker_plugin_manifest()");
    }
    if (manifestText == nullptr) {
        throw std::runtime_error("plugin file " + path +
                                 " has no manifest: firepoker_plugin_manifest() returned null");
    }
    result->manifestJson_ = manifestText;
    try {
        result->manifest_ = parseManifest(result->manifestJson_);
    } catch (const std::exception& e) {
        throw std::runtime_error("plugin file " + path + " has a bad manifest: " + e.what());
    }
    if (result->manifest_.buildSignature != fp::sdk::kBuildSignature) {
        throw std::runtime_error("plugin file " + path + " (" + result->manifest_.name +
                                 ") was built with " + result->manifest_.buildSignature +
                                 "; this server was built with " + fp::sdk::kBuildSignature +
                                 ": rebuild the plugin with the same compiler and standard");
    }
    return result;
}

std::vector<std::string> PluginLibrary::checkOptions(const fp::sdk::PluginOptions& options) const {
    // Optional: a plugin written without FIREPOKER_PLUGIN may not have it.
    if (!library_->has("firepoker_plugin_check_options"))
        return {};
    auto check = library_->get<CheckOptionsFn>("firepoker_plugin_check_options");
    char text[4096] = {0};
    int outcome = 2;
    try {
        outcome = check(&options, text, sizeof(text));
    } catch (const std::exception& e) {
        copyMessage(text, sizeof(text), e.what());
    } catch (...) {
        copyMessage(text, sizeof(text), "an exception that is not a std::exception");
    }
    if (outcome == 0)
        return {};
    if (outcome != 1) {
        return {"plugin " + manifest_.name + " (" + path_ +
                ") threw while checking its options: " + (text[0] ? text : "no reason given")};
    }
    std::vector<std::string> problems;
    std::string all(text);
    for (std::size_t start = 0; start <= all.size();) {
        const auto end = std::min(all.find('\n', start), all.size());
        if (end > start)
            problems.push_back(all.substr(start, end - start));
        start = end + 1;
    }
    if (problems.empty())
        problems.push_back("plugin " + manifest_.name + " refused its options without a reason");
    return problems;
}

std::shared_ptr<fp::sdk::Plugin> PluginLibrary::create(
    const fp::sdk::PluginContext& context) const {
    auto create = library_->get<CreateFn>("firepoker_plugin_create");
    char error[1024] = {0};
    fp::sdk::Plugin* raw = nullptr;
    // FIREPOKER_PLUGIN catches what a constructor throws; a hand-written entry point may not.
    try {
        raw = create(&context, error, sizeof(error));
    } catch (const std::exception& e) {
        copyMessage(error, sizeof(error), e.what());
    } catch (...) {
        copyMessage(error, sizeof(error), "an exception that is not a std::exception");
    }
    if (raw == nullptr) {
        throw std::runtime_error("plugin " + manifest_.name + " (" + path_ +
                                 ") failed to create instance '" + context.instanceName +
                                 "': " + (error[0] ? error : "no reason given"));
    }
    // The deleter owns a reference to the library: it is unloaded only after the object
    // (whose code lives in it) is gone.
    auto library = library_;
    return std::shared_ptr<fp::sdk::Plugin>(raw, [library](fp::sdk::Plugin* p) { delete p; });
}

}  // namespace fp::plugins
