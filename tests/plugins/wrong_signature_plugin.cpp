// A plugin with the right ABI version but built with another compiler/standard library.
#include <boost/config.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "firepoker/sdk/abi.hpp"

extern "C" BOOST_SYMBOL_EXPORT std::uint32_t firepoker_plugin_abi_version() {
    return FIREPOKER_SDK_ABI_VERSION;
}
extern "C" BOOST_SYMBOL_EXPORT const char* firepoker_plugin_manifest() {
    static const std::string manifest =
        R"({"name":"test-wrong-signature","kind":"sink","version":"0","abiVersion":)" +
        std::to_string(FIREPOKER_SDK_ABI_VERSION) +
        R"(,"buildSignature":"msvc-19;msvcprt;c++202002L","options":[]})";
    return manifest.c_str();
}
extern "C" BOOST_SYMBOL_EXPORT void* firepoker_plugin_create(const void*, char*, std::size_t) {
    return nullptr;
}
