// Unix milliseconds <-> ISO-8601 UTC text. Pure arithmetic: no locale, no time zone database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fp::room {

// 1795856400123 -> "2026-11-28T09:00:00.123Z" (always with milliseconds).
std::string formatIsoUtcMs(std::int64_t unixMs);

// Reads "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; nullopt when it is not that.
std::optional<std::int64_t> parseIsoUtcMs(std::string_view text);

}  // namespace fp::room
