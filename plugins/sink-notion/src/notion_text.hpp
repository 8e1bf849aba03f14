// Text within Notion's limits. Notion counts characters as JavaScript does (UTF-16 code
// units), so lengths here are UTF-16 units, and cuts fall on code point boundaries: a
// truncated text is always valid UTF-8 (invalid input bytes become U+FFFD).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace fp::notion {

inline constexpr std::size_t kMaxTextContent = 2000;  // one text.content
inline constexpr std::size_t kMaxRichTextItems = 100;
inline constexpr std::size_t kMaxUrlLength = 2000;
inline constexpr std::size_t kMaxOptionName = 100;  // select / multi_select names

// Length in UTF-16 code units.
std::size_t utf16Length(const std::string& utf8);

// The longest prefix of at most `maxUnits` UTF-16 units.
std::string truncateUtf16(const std::string& utf8, std::size_t maxUnits);

// Pieces of at most `maxUnits` each, in order; joined they give the (repaired) text. At most
// `maxPieces`: `fits` is false when the text needed more (the pieces then hold its start).
// An empty text gives no piece.
std::vector<std::string> splitUtf16(const std::string& utf8, std::size_t maxUnits,
                                    std::size_t maxPieces, bool& fits);

}  // namespace fp::notion
