// Small helpers shared by the conformance kits.
#pragma once

#include <chrono>
#include <random>
#include <string>
#include <thread>

namespace fp::testkit::detail {

// A room id no other test (or earlier run against the same backend) uses.
inline std::string uniqueId(const std::string& prefix) {
    static thread_local std::mt19937_64 engine(std::random_device{}());
    static const char* hex = "0123456789abcdef";
    std::string id = prefix + "-";
    auto bits = engine();
    for (int i = 0; i < 12; ++i, bits >>= 4)
        id += hex[bits & 15];
    return id;
}

inline std::int64_t nowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline void sleepMs(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace fp::testkit::detail

namespace fp::testkit {
// A fresh name for a room, a key prefix, a folder: unique across tests and runs. Use it when a
// factory needs a new namespace per call (see storage_conformance.hpp).
using detail::uniqueId;
}  // namespace fp::testkit
