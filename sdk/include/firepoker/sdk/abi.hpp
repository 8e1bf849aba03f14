// The SDK's ABI version and the build signature every plugin carries in its manifest.
#pragma once

#include <cstdint>

// Bump when any SDK interface, struct layout or ownership rule changes incompatibly.
// 2: PluginContext::metrics (the metrics handle).
#define FIREPOKER_SDK_ABI_VERSION 2u

#define FIREPOKER_STRINGIFY_IMPL(x) #x
#define FIREPOKER_STRINGIFY(x) FIREPOKER_STRINGIFY_IMPL(x)

#if defined(__clang__)
#define FIREPOKER_COMPILER_ID "clang-" FIREPOKER_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define FIREPOKER_COMPILER_ID "gcc-" FIREPOKER_STRINGIFY(__GNUC__)
#else
#define FIREPOKER_COMPILER_ID "unknown"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define FIREPOKER_STDLIB_ID "libstdc++-cxx11"
#elif defined(_LIBCPP_VERSION)
#define FIREPOKER_STDLIB_ID "libc++"
#else
#define FIREPOKER_STDLIB_ID "libstdc++-old"
#endif

// Objects such as std::string cross the plugin boundary, so the compiler family, the standard
// library ABI and the language standard must match between the server and a plugin.
#define FIREPOKER_BUILD_SIGNATURE \
    FIREPOKER_COMPILER_ID ";" FIREPOKER_STDLIB_ID ";c++" FIREPOKER_STRINGIFY(__cplusplus)

namespace fp::sdk {
inline constexpr std::uint32_t kAbiVersion = FIREPOKER_SDK_ABI_VERSION;
inline constexpr const char* kBuildSignature = FIREPOKER_BUILD_SIGNATURE;
}  // namespace fp::sdk
