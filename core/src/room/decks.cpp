#include "room/decks.hpp"

#include "room/json_writer.hpp"

namespace fp::room {

const std::vector<DeckPreset>& deckPresets() {
    static const std::vector<DeckPreset> presets = {
        {"fibonacci", {"0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89", "?", "coffee"}},
        {"modified",
         {"0", "\xC2\xBD", "1", "2", "3", "5", "8", "13", "20", "40", "100", "?", "coffee"}},
        {"tshirt", {"XS", "S", "M", "L", "XL", "XXL", "?"}},
        {"powers", {"0", "1", "2", "4", "8", "16", "32", "64", "?"}},
    };
    return presets;
}

std::optional<std::vector<std::string>> findDeckPreset(std::string_view name) {
    for (const auto& preset : deckPresets()) {
        if (preset.name == name) {
            return preset.cards;
        }
    }
    return std::nullopt;
}

void writeDeckPresets(json::Writer& out) {
    out.beginObject();
    for (const auto& preset : deckPresets()) {
        out.key(preset.name).beginArray();
        for (const auto& card : preset.cards) {
            out.string(card);
        }
        out.endArray();
    }
    out.endObject();
}

bool isNonEstimate(std::string_view card) {
    return card == "?" || card == "coffee" || card == "\xE2\x98\x95";  // U+2615 HOT BEVERAGE
}

std::optional<double> numericCardValue(std::string_view card) {
    if (card == "\xC2\xBD") {  // ½
        return 0.5;
    }
    if (card == "\xC2\xBC") {  // ¼
        return 0.25;
    }
    if (card == "\xC2\xBE") {  // ¾
        return 0.75;
    }
    // Plain decimal: digits, optionally '.' or ',' and more digits. Cards are at most 8 chars.
    if (card.empty() || card.size() > 16) {
        return std::nullopt;
    }
    // mantissa / 10^decimals: both exact, so the quotient is correctly rounded ("0.3" -> 0.3).
    double mantissa = 0;
    double divisor = 1;
    bool seenDigit = false;
    bool seenPoint = false;
    for (char c : card) {
        if (c >= '0' && c <= '9') {
            seenDigit = true;
            mantissa = mantissa * 10 + (c - '0');
            if (seenPoint) {
                divisor *= 10;
            }
        } else if ((c == '.' || c == ',') && !seenPoint && seenDigit) {
            seenPoint = true;
        } else {
            return std::nullopt;
        }
    }
    if (card.back() == '.' || card.back() == ',') {
        return std::nullopt;
    }
    return mantissa / divisor;
}

}  // namespace fp::room
