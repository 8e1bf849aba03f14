#include "room/text_validation.hpp"

#include <cctype>

#include "room/room_model.hpp"
#include "room/utf8.hpp"

namespace fp::room {

std::optional<std::u32string> decodeUtf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto sequence = readUtf8(text, i);
        if (sequence.length == 0) {
            return std::nullopt;
        }
        out.push_back(sequence.codePoint);
        i += sequence.length;
    }
    return out;
}

bool isValidUtf8(std::string_view text) {
    return decodeUtf8(text).has_value();
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

std::size_t codePointCount(std::string_view text) {
    std::size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

bool isControlCharacter(char32_t c) {
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
}

bool isUnicodeWhitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

std::string trimText(std::string_view text) {
    auto decoded = decodeUtf8(text);
    if (!decoded) {
        return std::string(text);
    }
    std::size_t begin = 0;
    std::size_t end = decoded->size();
    while (begin < end && isUnicodeWhitespace((*decoded)[begin])) {
        ++begin;
    }
    while (end > begin && isUnicodeWhitespace((*decoded)[end - 1])) {
        --end;
    }
    return encodeUtf8(std::u32string_view(*decoded).substr(begin, end - begin));
}

bool isValidRoomId(std::string_view id) {
    if (id.empty() || id.size() > kMaxRoomIdLength) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

TextCheck checkText(std::string_view raw, std::size_t minLength, std::size_t maxLength) {
    TextCheck check;
    auto decoded = decodeUtf8(raw);
    if (!decoded) {
        check.problem = "is not valid UTF-8";
        return check;
    }
    std::string trimmed = trimText(raw);
    auto trimmedDecoded = decodeUtf8(trimmed);
    for (char32_t c : *trimmedDecoded) {
        if (isControlCharacter(c)) {
            check.problem = "contains a control character";
            return check;
        }
    }
    const std::size_t length = trimmedDecoded->size();
    if (length < minLength) {
        check.problem = minLength == 1 ? "is empty" : "is too short";
        return check;
    }
    if (length > maxLength) {
        check.problem = "is longer than " + std::to_string(maxLength) + " characters (" +
                        std::to_string(length) + ")";
        return check;
    }
    check.ok = true;
    check.value = std::move(trimmed);
    return check;
}

TextCheck checkName(std::string_view raw) {
    return checkText(raw, 1, kMaxNameLength);
}

TextCheck checkTitle(std::string_view raw) {
    return checkText(raw, 1, kMaxTitleLength);
}

TextCheck checkRef(std::string_view raw) {
    return checkText(raw, 0, kMaxRefLength);
}

TextCheck checkUrl(std::string_view raw) {
    TextCheck check = checkText(raw, 0, kMaxUrlLength);
    if (!check.ok || check.value.empty()) {
        return check;
    }
    std::string lower;
    for (char c : check.value.substr(0, 8)) {
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    std::size_t schemeLength = 0;
    if (lower.rfind("https://", 0) == 0) {
        schemeLength = 8;
    } else if (lower.rfind("http://", 0) == 0) {
        schemeLength = 7;
    } else {
        check.ok = false;
        check.problem = "must start with http:// or https://";
        return check;
    }
    if (check.value.size() == schemeLength || check.value[schemeLength] == '/') {
        check.ok = false;
        check.problem = "has no host";
        return check;
    }
    auto decoded = decodeUtf8(check.value);
    for (char32_t c : *decoded) {
        if (isUnicodeWhitespace(c)) {
            check.ok = false;
            check.problem = "contains white space";
            return check;
        }
    }
    return check;
}

}  // namespace fp::room
