// Config files through the loader: any text gives a config or a list of problems, never a
// crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    fp::config::Environment env = {{"FP_SERVER_GRACESECONDS", "30"}};
    auto loaded = fp::config::loadConfigText(text, "fuzz.json", "/tmp", env);
    for (const auto& problem : loaded.problems) {
        if (problem.describe().empty())
            __builtin_trap();
    }
    return 0;
}
