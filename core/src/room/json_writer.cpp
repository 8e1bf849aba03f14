#include "room/json_writer.hpp"

#include <Poco/Dynamic/Var.h>

#include <charconv>

#include "room/utf8.hpp"

namespace fp::room::json {

void Writer::beforeValue() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back())
            out_.push_back(',');
        first_.back() = false;
    }
}

Writer& Writer::beginObject() {
    beforeValue();
    out_.push_back('{');
    first_.push_back(true);
    return *this;
}

Writer& Writer::endObject() {
    out_.push_back('}');
    first_.pop_back();
    return *this;
}

Writer& Writer::beginArray() {
    beforeValue();
    out_.push_back('[');
    first_.push_back(true);
    return *this;
}

Writer& Writer::endArray() {
    out_.push_back(']');
    first_.pop_back();
    return *this;
}

Writer& Writer::key(std::string_view name) {
    beforeValue();
    appendEscaped(name);
    out_.push_back(':');
    afterKey_ = true;
    return *this;
}

Writer& Writer::string(std::string_view value) {
    beforeValue();
    appendEscaped(value);
    return *this;
}

Writer& Writer::integer(std::int64_t value) {
    beforeValue();
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_.append(buffer, end);
    return *this;
}

Writer& Writer::unsignedInteger(std::uint64_t value) {
    beforeValue();
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_.append(buffer, end);
    return *this;
}

Writer& Writer::number(double value) {
    beforeValue();
    // Rare (statistics after a reveal): Poco's own conversion keeps the bytes identical.
    out_.append(Poco::Dynamic::Var(value).convert<std::string>());
    return *this;
}

Writer& Writer::boolean(bool value) {
    beforeValue();
    out_.append(value ? "true" : "false");
    return *this;
}

Writer& Writer::null() {
    beforeValue();
    out_.append("null");
    return *this;
}

Writer& Writer::raw(std::string_view json) {
    beforeValue();
    out_.append(json);
    return *this;
}

void Writer::appendEscaped(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    out_.push_back('"');
    std::size_t plainFrom = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            continue;
        if (c >= 0x80) {
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
