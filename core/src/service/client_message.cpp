#include "service/client_message.hpp"

#include <Poco/JSON/Parser.h>

namespace fp::service {

ClientMessage parseClientMessage(const std::string& text) {
    ClientMessage parsed;
    try {
        Poco::JSON::Parser parser;
        auto value = parser.parse(text);
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
            parsed.errorCode = "bad_message";
            parsed.errorMessage = "a message is one JSON object";
            return parsed;
        }
        parsed.body = value.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        parsed.errorCode = "bad_json";
        parsed.errorMessage = "the message is not valid JSON: " + e.message();
        return parsed;
    } catch (const std::exception& e) {
        parsed.errorCode = "bad_json";
        parsed.errorMessage = std::string("the message is not valid JSON: ") + e.what();
        return parsed;
    }
    if (parsed.body->has("rid")) {
        auto rid = parsed.body->get("rid");
        if (!rid.isEmpty() && !rid.isString() && !rid.isNumeric()) {
            parsed.errorCode = "bad_message";
            parsed.errorMessage = "rid must be a string or a number";
            return parsed;
        }
        parsed.rid = rid;
    }
    if (!parsed.body->has("type") || !parsed.body->get("type").isString()) {
        parsed.errorCode = "bad_message";
        parsed.errorMessage = "the field 'type' (a string) is missing";
        return parsed;
    }
    parsed.type = parsed.body->getValue<std::string>("type");
    return parsed;
}

}  // namespace fp::service
