// Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace fp::sinks {

// The delay the header asks for, capped at `cap`; nullopt when absent or unreadable.
// Fractional seconds are accepted (some proxies send them) and rounded up to milliseconds.
std::optional<std::chrono::milliseconds> parseRetryAfter(
    const std::string& value, std::chrono::system_clock::time_point now,
    std::chrono::milliseconds cap = std::chrono::hours(1));

}  // namespace fp::sinks
