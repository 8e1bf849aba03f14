// The first step of every client message: JSON text -> an object with a type and maybe a rid.
// Pure, so the gateway and the fuzzer use the same code.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace fp::service {

struct ClientMessage {
    std::string errorCode;  // empty = parsed; else bad_json or bad_message
    std::string errorMessage;
    Poco::JSON::Object::Ptr body;
    Poco::Dynamic::Var rid;  // empty when absent (or when it was not a string or number)
    std::string type;
};

ClientMessage parseClientMessage(const std::string& text);

}  // namespace fp::service
