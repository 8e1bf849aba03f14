// A plugin that claims an SDK ABI version this server does not speak.
#include <boost/config.hpp>
#include <cstddef>
#include <cstdint>

extern "C" BOOST_SYMBOL_EXPORT std::uint32_t firepoker_plugin_abi_version() {
    return 999;
}
extern "C" BOOST_SYMBOL_EXPORT const char* firepoker_plugin_manifest() {
    return R"({"name":"test-wrong-abi","kind":"sink","version":"0","abiVersion":999,"options":[]})";
}
extern "C" BOOST_SYMBOL_EXPORT void* firepoker_plugin_create(const void*, char*, std::size_t) {
    return nullptr;
}
