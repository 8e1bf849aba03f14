#include "room/json_writer.hpp"

#include <Poco/Dynamic/Var.h>

#include <array>
#include <charconv>
#include <cstdint>

#include "room/utf8.hpp"

namespace fp::room::json {

void Writer::beforeValue() {
    if (needComma_)
        out_.push_back(',');
}

Writer& Writer::beginObject() {
    beforeValue();
    out_.push_back('{');
    needComma_ = false;
    return *this;
}

Writer& Writer::endObject() {
    out_.push_back('}');
    needComma_ = true;
    return *this;
}

Writer& Writer::beginArray() {
    beforeValue();
    out_.push_back('[');
    needComma_ = false;
    return *this;
}

Writer& Writer::endArray() {
    out_.push_back(']');
    needComma_ = true;
    return *this;
}

Writer& Writer::key(std::string_view name) {
    beforeValue();
    appendEscaped(name);
    out_.push_back(':');
    needComma_ = false;
    return *this;
}

Writer& Writer::string(std::string_view value) {
    beforeValue();
    appendEscaped(value);
    needComma_ = true;
    return *this;
}

Writer& Writer::integer(std::int64_t value) {
    beforeValue();
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_.append(buffer, end);
    needComma_ = true;
    return *this;
}

Writer& Writer::unsignedInteger(std::uint64_t value) {
    beforeValue();
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_.append(buffer, end);
    needComma_ = true;
    return *this;
}

Writer& Writer::number(double value) {
    beforeValue();
    // Rare (statistics after a reveal): Poco's own conversion keeps the bytes identical.
    out_.append(Poco::Dynamic::Var(value).convert<std::string>());
    needComma_ = true;
    return *this;
}

Writer& Writer::boolean(bool value) {
    beforeValue();
    out_.append(value ? "true" : "false");
    needComma_ = true;
    return *this;
}

Writer& Writer::null() {
    beforeValue();
    out_.append("null");
    needComma_ = true;
    return *this;
}

Writer& Writer::raw(std::string_view json) {
    beforeValue();
    out_.append(json);
    needComma_ = true;
    return *this;
}

namespace {
// 1 for the bytes a string cannot hold as they are: control characters, '"' and '\\'; 2 for
// the first byte of anything but ASCII (checked as UTF-8).
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = 1;
    table['"'] = 1;
    table['\\'] = 1;
    for (int c = 0x80; c < 0x100; ++c)
        table[c] = 2;
    return table;
}();
}  // namespace

void Writer::appendEscaped(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    out_.push_back('"');
    std::size_t plainFrom = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto kind = kByteClass[c];
        if (kind == 0)
            continue;
        if (kind == 2) {
            const auto sequence = readUtf8(text, i);
            if (sequence.length > 0) {
                i += sequence.length - 1;
                continue;
            }
            // Not UTF-8 (a client's bytes quoted in a message): the text \xNN, so the
            // output stays valid UTF-8 and still says what the byte was.
            out_.append(text.data() + plainFrom, i - plainFrom);
            plainFrom = i + 1;
            out_.append("\\\\x");
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 0xF]);
            continue;
        }
        out_.append(text.data() + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
            case '"':
                out_.append("\\\"");
                break;
            case '\\':
                out_.append("\\\\");
                break;
            case '\b':
                out_.append("\\b");
                break;
            case '\f':
                out_.append("\\f");
                break;
            case '\n':
                out_.append("\\n");
                break;
            case '\r':
                out_.append("\\r");
                break;
            case '\t':
                out_.append("\\t");
                break;
            default:
                out_.append("\\u00");
                out_.push_back(kHex[c >> 4]);
                out_.push_back(kHex[c & 0xF]);
        }
    }
    out_.append(text.data() + plainFrom, text.size() - plainFrom);
    out_.push_back('"');
}

}  // namespace fp::room::json
