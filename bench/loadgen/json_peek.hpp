// Reads single fields out of the server's messages without a full JSON parse, so the load
// generator stays far cheaper per message than the server it measures. Good enough for the
// messages of PROTOCOL.md with names the bench itself chose (no escaped quotes in them).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fp::bench {

// The value of the first `"key":` at or after `from`: a string's contents, or a number's or
// literal's text. Empty optional if the key is absent.
std::optional<std::string_view> peekField(std::string_view json, std::string_view key,
                                          std::size_t from = 0);
// Where the value of `key` in the outermost object starts (keys of nested objects, such as a
// state's `cause.type`, do not count).
std::optional<std::size_t> findTopLevelValue(std::string_view json, std::string_view key);
// The value at `at` (a position findTopLevelValue gave): a string's contents or a scalar's text.
std::optional<std::string_view> valueAt(std::string_view json, std::size_t at);
std::optional<std::uint64_t> peekUnsigned(std::string_view json, std::string_view key,
                                          std::size_t from = 0);

}  // namespace fp::bench
