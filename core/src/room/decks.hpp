// Deck presets of PROTOCOL.md and what a card means for statistics.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "room/json_writer.hpp"

namespace fp::room {

struct DeckPreset {
    std::string name;
    std::vector<std::string> cards;
};

inline constexpr const char* kDefaultDeckName = "fibonacci";
inline constexpr const char* kCustomDeckName = "custom";

// fibonacci, modified, tshirt, powers: in this order, cards exactly as PROTOCOL.md lists them.
const std::vector<DeckPreset>& deckPresets();
std::optional<std::vector<std::string>> findDeckPreset(std::string_view name);
// {"fibonacci": [cards...], "modified": [...], ...} in the order above: `welcome.decks`, so a
// client offers the server's presets instead of keeping a copy of them.
void writeDeckPresets(json::Writer& out);

// "?" and "coffee" (and the cup "☕" of custom decks): shown in the distribution, left out of
// every statistic.
bool isNonEstimate(std::string_view card);
// "5" -> 5, "0.5" -> 0.5, "½" -> 0.5; nullopt for "XS", "?", "coffee"...
std::optional<double> numericCardValue(std::string_view card);

}  // namespace fp::room
