// FIREPOKER_PLUGIN(Implementation, makeManifest): exports a plugin's entry points.
//
// Four symbols, looked up by the core with Boost.DLL in this order:
//   firepoker_plugin_abi_version()   plain C; checked before anything else is touched
//   firepoker_plugin_manifest()      plain C JSON text (name, kind, options, build signature);
//                                    null when making the manifest threw
//   firepoker_plugin_check_options() the class's optional static checkOptions(), run by the
//                                    core (and --check-config) after the manifest's own checks
//   firepoker_plugin_create(...)     makes the object; exceptions never leave it
//
// Optional, in the class: checks of option values that types and ranges cannot express (a
// list of CIDR blocks, a URL scheme...), without making an object:
//   static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options);
// One problem per element, naming the option ("trustedProxies: 'lb' is not ..."); none = fine.
// The options are already validated against the manifest, with defaults filled in.
#pragma once

#include <boost/config.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "firepoker/sdk/abi.hpp"
#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/plugin.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::sdk::detail {
template <typename T>
constexpr PluginKind kindOf() {
    if constexpr (std::is_base_of_v<Storage, T>)
        return PluginKind::storage;
    else if constexpr (std::is_base_of_v<Bus, T>)
        return PluginKind::bus;
    else if constexpr (std::is_base_of_v<Sink, T>)
        return PluginKind::sink;
    else {
        static_assert(std::is_base_of_v<Transport, T>, "a plugin derives from a kind interface");
        return PluginKind::transport;
    }
}
inline void copyError(char* buffer, std::size_t size, const char* text) {
    if (buffer == nullptr || size == 0)
        return;
    std::strncpy(buffer, text, size - 1);
    buffer[size - 1] = '\0';
}

template <typename T, typename = void>
struct HasCheckOptions : std::false_type {};
template <typename T>
struct HasCheckOptions<T,
                       std::void_t<decltype(T::checkOptions(std::declval<const PluginOptions&>()))>>
    : std::true_type {};

// 0: fine; 1: problems, one per line in `problems`; 2: checkOptions threw (the message).
template <typename T>
int checkOptionsOf(const PluginOptions& options, char* problems, std::size_t size) {
    if constexpr (HasCheckOptions<T>::value) {
        try {
            const std::vector<std::string> found = T::checkOptions(options);
            if (found.empty())
                return 0;
            std::string text;
            for (const auto& problem : found)
                text += (text.empty() ? "" : "\n") + problem;
            copyError(problems, size, text.c_str());
            return 1;
        } catch (const std::exception& e) {
            copyError(problems, size, e.what());
        } catch (...) {
            copyError(problems, size, "unknown exception");
        }
        return 2;
    } else {
        (void)options;
        (void)problems;
        (void)size;
        return 0;
    }
}
}  // namespace fp::sdk::detail

#define FIREPOKER_PLUGIN(Implementation, makeManifest)                                      \
    extern "C" BOOST_SYMBOL_EXPORT std::uint32_t firepoker_plugin_abi_version() {           \
        return FIREPOKER_SDK_ABI_VERSION;                                                   \
    }                                                                                       \
    extern "C" BOOST_SYMBOL_EXPORT const char* firepoker_plugin_manifest() {                \
        try {                                                                               \
            static const std::string text = [] {                                            \
                ::fp::sdk::Manifest m = makeManifest();                                     \
                m.kind = ::fp::sdk::detail::kindOf<Implementation>();                       \
                m.abiVersion = FIREPOKER_SDK_ABI_VERSION;                                   \
                m.buildSignature = FIREPOKER_BUILD_SIGNATURE;                               \
                return ::fp::sdk::manifestToJson(m);                                        \
            }();                                                                            \
            return text.c_str();                                                            \
        } catch (...) {                                                                     \
            return nullptr; /* the loader refuses a plugin without a manifest */            \
        }                                                                                   \
    }                                                                                       \
    extern "C" BOOST_SYMBOL_EXPORT int firepoker_plugin_check_options(                      \
        const ::fp::sdk::PluginOptions* options, char* problems, std::size_t size) {        \
        return ::fp::sdk::detail::checkOptionsOf<Implementation>(*options, problems, size); \
    }                                                                                       \
    extern "C" BOOST_SYMBOL_EXPORT ::fp::sdk::Plugin* firepoker_plugin_create(              \
        const ::fp::sdk::PluginContext* context, char* error, std::size_t errorSize) {      \
        try {                                                                               \
            return new Implementation(*context);                                            \
        } catch (const std::exception& e) {                                                 \
            ::fp::sdk::detail::copyError(error, errorSize, e.what());                       \
        } catch (...) {                                                                     \
            ::fp::sdk::detail::copyError(error, errorSize, "unknown exception");            \
        }                                                                                   \
        return nullptr;                                                                     \
    }
