#include "notion_text.hpp"

namespace fp::notion {
namespace {

// Decodes one code point at `i`; returns its byte length (1 for an invalid byte, which the
// caller writes as U+FFFD).
std::size_t decode(const std::string& s, std::size_t i, char32_t& cp) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t len = 0;
    char32_t min = 0;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        cp = 0xFFFD;
        return 1;
    }
    if (i + len > s.size()) {
        cp = 0xFFFD;
        return 1;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            cp = 0xFFFD;
            return 1;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = 0xFFFD;
        return 1;
    }
    return len;
}

void append(std::string& out, const std::string& in, std::size_t i, std::size_t len, char32_t cp) {
    if (cp == 0xFFFD && len == 1 && static_cast<unsigned char>(in[i]) >= 0x80) {
        out += "\xEF\xBF\xBD";
        return;
    }
    out.append(in, i, len);
}

std::size_t units(char32_t cp) {
    return cp >= 0x10000 ? 2 : 1;
}

}  // namespace

std::size_t utf16Length(const std::string& utf8) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = 0;
        i += decode(utf8, i, cp);
        count += units(cp);
    }
    return count;
}

std::string truncateUtf16(const std::string& utf8, std::size_t maxUnits) {
    bool fits = false;
    auto pieces = splitUtf16(utf8, maxUnits, 1, fits);
    return pieces.empty() ? std::string() : pieces.front();
}

std::vector<std::string> splitUtf16(const std::string& utf8, std::size_t maxUnits,
                                    std::size_t maxPieces, bool& fits) {
    std::vector<std::string> pieces;
    fits = true;
    if (maxUnits == 0)
        maxUnits = 1;
    std::string current;
    std::size_t currentUnits = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = 0;
        const std::size_t len = decode(utf8, i, cp);
        const std::size_t u = units(cp);
        if (currentUnits + u > maxUnits) {
            pieces.push_back(std::move(current));
            current.clear();
            currentUnits = 0;
            if (pieces.size() >= maxPieces) {
                fits = false;
                return pieces;
            }
        }
        append(current, utf8, i, len, cp);
        currentUnits += u;
        i += len;
    }
    if (!current.empty())
        pieces.push_back(std::move(current));
    return pieces;
}

}  // namespace fp::notion
