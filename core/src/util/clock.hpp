// Wall-clock time in unix milliseconds, the unit the room rules take.
#pragma once

#include <chrono>
#include <cstdint>

namespace fp::util {
inline std::int64_t nowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace fp::util
