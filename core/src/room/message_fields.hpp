// Reads the fields of a client message; the first problem is kept for a bad_message error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace fp::room {

class MessageFields {
  public:
    MessageFields(Poco::JSON::Object::Ptr message, std::string type);

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }  // "vote: card must be a string"

    bool present(const std::string& key) const;  // there and not null
    Poco::Dynamic::Var raw(const std::string& key) const;
    std::string requiredString(const std::string& key);
    std::optional<std::string> optionalString(const std::string& key);  // absent or null: none
    std::optional<bool> optionalBool(const std::string& key);
    std::optional<std::int64_t> requiredInteger(const std::string& key);
    Poco::JSON::Array::Ptr requiredArray(const std::string& key);

    void fail(const std::string& key, const std::string& problem);

  private:
    Poco::JSON::Object::Ptr message_;
    std::string type_;
    std::string error_;
};

}  // namespace fp::room
