#include "room/json_util.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace fp::room::json {

Poco::JSON::Object::Ptr object() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Array::Ptr array() {
    return new Poco::JSON::Array();
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& text, std::string_view what) {
    Poco::Dynamic::Var parsed;
    try {
        // Keep key order: a stats distribution is in deck order.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        parsed = parser.parse(text);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(std::string(what) + ": not valid JSON: " + e.displayText());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw std::runtime_error(std::string(what) + ": not a JSON object");
    }
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (object.isNull()) {
        throw std::runtime_error(std::string(what) + ": not a JSON object");
    }
    return object;
}

bool isNull(const Poco::Dynamic::Var& value) {
    return value.isEmpty();
}

bool isBool(const Poco::Dynamic::Var& value) {
    return !value.isEmpty() && value.type() == typeid(bool);
}

bool isString(const Poco::Dynamic::Var& value) {
    return !value.isEmpty() && value.isString();
}

bool isNumber(const Poco::Dynamic::Var& value) {
    return !value.isEmpty() && !isBool(value) && !value.isString() && value.isNumeric();
}

std::optional<std::int64_t> asInteger(const Poco::Dynamic::Var& value) {
    if (!isNumber(value)) {
        return std::nullopt;
    }
    try {
        if (value.isInteger()) {
            return value.convert<std::int64_t>();
        }
        const double d = value.convert<double>();
        if (!std::isfinite(d) || std::floor(d) != d || d < -9.0e18 || d > 9.0e18) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(d);
    } catch (const Poco::Exception&) {
        return std::nullopt;  // e.g. an unsigned value above int64
    }
}

std::optional<double> asDouble(const Poco::Dynamic::Var& value) {
    if (!isNumber(value)) {
        return std::nullopt;
    }
    try {
        return value.convert<double>();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

Reader::Reader(Poco::JSON::Object::Ptr object, std::string path)
    : object_(std::move(object)), path_(std::move(path)) {}

bool Reader::has(const std::string& key) const {
    return object_->has(key);
}

bool Reader::isNullAt(const std::string& key) const {
    return !object_->has(key) || object_->isNull(key);
}

Poco::Dynamic::Var Reader::get(const std::string& key) const {
    if (!object_->has(key)) {
        fail(key, "is missing");
    }
    return object_->get(key);
}

void Reader::fail(const std::string& key, const std::string& problem) const {
    throw std::runtime_error(path_ + "." + key + " " + problem);
}

std::string Reader::string(const std::string& key) const {
    auto value = get(key);
    if (!isString(value)) {
        fail(key, "must be a string");
    }
    return value.extract<std::string>();
}

std::optional<std::string> Reader::optionalString(const std::string& key) const {
    if (isNullAt(key)) {
        return std::nullopt;
    }
    return string(key);
}

bool Reader::boolean(const std::string& key) const {
    auto value = get(key);
    if (!isBool(value)) {
        fail(key, "must be true or false");
    }
    return value.extract<bool>();
}

std::int64_t Reader::integer(const std::string& key) const {
    auto value = asInteger(get(key));
    if (!value) {
        fail(key, "must be an integer");
    }
    return *value;
}

std::optional<std::int64_t> Reader::optionalInteger(const std::string& key) const {
    if (isNullAt(key)) {
        return std::nullopt;
    }
    return integer(key);
}

double Reader::number(const std::string& key) const {
    auto value = asDouble(get(key));
    if (!value) {
        fail(key, "must be a number");
    }
    return *value;
}

std::optional<double> Reader::optionalNumber(const std::string& key) const {
    if (isNullAt(key)) {
        return std::nullopt;
    }
    return number(key);
}

Poco::JSON::Object::Ptr Reader::rawObject(const std::string& key) const {
    auto value = get(key);
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Object::Ptr)) {
        fail(key, "must be an object");
    }
    auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (object.isNull()) {
        fail(key, "must be an object");
    }
    return object;
}

Reader Reader::object(const std::string& key) const {
    return Reader(rawObject(key), path_ + "." + key);
}

std::optional<Reader> Reader::optionalObject(const std::string& key) const {
    if (isNullAt(key)) {
        return std::nullopt;
    }
    return object(key);
}

Poco::JSON::Array::Ptr Reader::array(const std::string& key) const {
    auto value = get(key);
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Array::Ptr)) {
        fail(key, "must be an array");
    }
    auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (array.isNull()) {
        fail(key, "must be an array");
    }
    return array;
}

Reader Reader::elementObject(const Poco::JSON::Array::Ptr& array, std::size_t index,
                             const std::string& key) const {
    const std::string element = key + "[" + std::to_string(index) + "]";
    auto value = array->get(static_cast<unsigned>(index));
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Object::Ptr) ||
        value.extract<Poco::JSON::Object::Ptr>().isNull()) {
        fail(element, "must be an object");
    }
    return Reader(value.extract<Poco::JSON::Object::Ptr>(), path_ + "." + element);
}

std::string Reader::elementString(const Poco::JSON::Array::Ptr& array, std::size_t index,
                                  const std::string& key) const {
    auto value = array->get(static_cast<unsigned>(index));
    if (!isString(value)) {
        fail(key + "[" + std::to_string(index) + "]", "must be a string");
    }
    return value.extract<std::string>();
}

}  // namespace fp::room::json
