// Small helpers around Poco::JSON shared by the room code (not part of the service API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace fp::room::json {

// An object that keeps its keys in insertion order, so output is stable and readable.
Poco::JSON::Object::Ptr object();
Poco::JSON::Array::Ptr array();

template <typename T>
Poco::Dynamic::Var orNull(const std::optional<T>& value) {
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

std::string stringify(const Poco::JSON::Object::Ptr& object);
// Throws std::runtime_error("<what>: ...") when the text is not one JSON object.
Poco::JSON::Object::Ptr parseObject(const std::string& text, std::string_view what);

// Type tests that do not mistake a bool for a number (Poco's isInteger() is true for bools).
bool isNull(const Poco::Dynamic::Var& value);
bool isBool(const Poco::Dynamic::Var& value);
bool isString(const Poco::Dynamic::Var& value);
bool isNumber(const Poco::Dynamic::Var& value);
// An integer, or a floating point number with an integral value, within int64.
std::optional<std::int64_t> asInteger(const Poco::Dynamic::Var& value);
std::optional<double> asDouble(const Poco::Dynamic::Var& value);

// Reads a document strictly, throwing std::runtime_error naming the path of what is wrong.
class Reader {
  public:
    Reader(Poco::JSON::Object::Ptr object, std::string path);

    const std::string& path() const { return path_; }
    bool has(const std::string& key) const;       // present, null or not
    bool isNullAt(const std::string& key) const;  // absent or null

    std::string string(const std::string& key) const;
    std::optional<std::string> optionalString(const std::string& key) const;  // null/absent ok
    bool boolean(const std::string& key) const;
    std::int64_t integer(const std::string& key) const;
    std::optional<std::int64_t> optionalInteger(const std::string& key) const;
    double number(const std::string& key) const;
    std::optional<double> optionalNumber(const std::string& key) const;
    Reader object(const std::string& key) const;
    Poco::JSON::Object::Ptr rawObject(const std::string& key) const;
    std::optional<Reader> optionalObject(const std::string& key) const;
    Poco::JSON::Array::Ptr array(const std::string& key) const;
    // Element i of an array that must be an object / a string.
    Reader elementObject(const Poco::JSON::Array::Ptr& array, std::size_t index,
                         const std::string& key) const;
    std::string elementString(const Poco::JSON::Array::Ptr& array, std::size_t index,
                              const std::string& key) const;

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  private:
    Poco::Dynamic::Var get(const std::string& key) const;

    Poco::JSON::Object::Ptr object_;
    std::string path_;
};

}  // namespace fp::room::json
