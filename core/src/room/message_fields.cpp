#include "room/message_fields.hpp"

#include "room/json_util.hpp"

namespace fp::room {

MessageFields::MessageFields(Poco::JSON::Object::Ptr message, std::string type)
    : message_(std::move(message)), type_(std::move(type)) {
    if (message_.isNull()) {
        error_ = type_ + ": the message is missing";
    }
}

void MessageFields::fail(const std::string& key, const std::string& problem) {
    if (error_.empty()) {
        error_ = type_ + ": " + key + " " + problem;
    }
}

bool MessageFields::present(const std::string& key) const {
    return !message_.isNull() && message_->has(key) && !message_->isNull(key);
}

Poco::Dynamic::Var MessageFields::raw(const std::string& key) const {
    return present(key) ? message_->get(key) : Poco::Dynamic::Var();
}

std::string MessageFields::requiredString(const std::string& key) {
    if (!present(key)) {
        fail(key, "is missing");
        return {};
    }
    auto value = message_->get(key);
    if (!json::isString(value)) {
        fail(key, "must be a string");
        return {};
    }
    return value.extract<std::string>();
}

std::optional<std::string> MessageFields::optionalString(const std::string& key) {
    if (!present(key)) {
        return std::nullopt;
    }
    auto value = message_->get(key);
    if (!json::isString(value)) {
        fail(key, "must be a string or null");
        return std::nullopt;
    }
    return value.extract<std::string>();
}

std::optional<bool> MessageFields::optionalBool(const std::string& key) {
    if (!present(key)) {
        return std::nullopt;
    }
    auto value = message_->get(key);
    if (!json::isBool(value)) {
        fail(key, "must be true or false");
        return std::nullopt;
    }
    return value.extract<bool>();
}

std::optional<std::int64_t> MessageFields::requiredInteger(const std::string& key) {
    if (!present(key)) {
        fail(key, "is missing");
        return std::nullopt;
    }
    auto value = json::asInteger(message_->get(key));
    if (!value) {
        fail(key, "must be an integer");
    }
    return value;
}

Poco::JSON::Array::Ptr MessageFields::requiredArray(const std::string& key) {
    if (!present(key)) {
        fail(key, "is missing");
        return nullptr;
    }
    auto value = message_->get(key);
    if (value.type() != typeid(Poco::JSON::Array::Ptr) ||
        value.extract<Poco::JSON::Array::Ptr>().isNull()) {
        fail(key, "must be an array");
        return nullptr;
    }
    return value.extract<Poco::JSON::Array::Ptr>();
}

}  // namespace fp::room
