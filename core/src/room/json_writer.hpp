// Writes JSON straight into a string, byte for byte as Poco::JSON's stringify would write the
// same values (no spaces; `"`, `\` and control characters escaped, control characters as
// \u00XX with upper-case hex; UTF-8 as is; doubles through Poco's own number formatting),
// except that a byte that is not part of valid UTF-8 is written as the text \xNN: the output
// is always valid UTF-8, whatever bytes went in.
// The hot path (every room change: the stored document and the state sent to clients) uses it
// instead of building Poco::JSON object trees, which cost an allocation per value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fp::room::json {

class Writer {
  public:
    explicit Writer(std::string& out) : out_(out) {}

    Writer& beginObject();
    Writer& endObject();
    Writer& beginArray();
    Writer& endArray();
    // The key of the next value inside an object.
    Writer& key(std::string_view name);
    // A key written in the program (a string literal): never needs escaping, so it is copied
    // as it is. Most keys are these; they were a quarter of the writer's work when scanned.
    template <std::size_t N>
    Writer& key(const char (&literal)[N]) {
        beforeValue();
        out_.push_back('"');
        out_.append(literal, N - 1);
        out_.append("\":", 2);
        needComma_ = false;
        return *this;
    }

    Writer& string(std::string_view value);
    Writer& integer(std::int64_t value);
    Writer& unsignedInteger(std::uint64_t value);
    Writer& number(double value);
    Writer& boolean(bool value);
    Writer& null();
    // Already-encoded JSON (one complete value).
    Writer& raw(std::string_view json);
    // Writes the separator the next value needs (if any), so that out.size() is then where
    // that value begins (for recording a piece of the text, see encoded_text.hpp).
    Writer& separate() {
        beforeValue();
        needComma_ = false;
        return *this;
    }
    std::size_t size() const { return out_.size(); }

    Writer& optionalString(const std::optional<std::string>& value) {
        return value ? string(*value) : null();
    }
    Writer& optionalNumber(const std::optional<double>& value) {
        return value ? number(*value) : null();
    }
    Writer& optionalInteger(const std::optional<std::int64_t>& value) {
        return value ? integer(*value) : null();
    }

  private:
    void beforeValue();
    void appendEscaped(std::string_view text);

    std::string& out_;
    // A value written last (a comma goes before the next one); false after '{', '[' and a key.
    bool needComma_ = false;
};

}  // namespace fp::room::json
