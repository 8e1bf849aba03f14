// The first step of every client message: JSON text -> an object with a kind and maybe a rid.
// Pure, so the gateway and the fuzzer use the same code.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "room/command_kind.hpp"
#include "room/error_code.hpp"

namespace fp::service {

struct ClientMessage {
    room::ErrorCode error = room::ErrorCode::none;  // badJson, badMessage or unknownType
    std::string errorMessage;                       // valid UTF-8, whatever the text was
    Poco::JSON::Object::Ptr body;
    Poco::Dynamic::Var rid;  // empty when absent (or when it was not a string or number)
    std::string type;        // as sent
    std::optional<room::CommandKind> kind;  // set when error is none

    bool ok() const { return error == room::ErrorCode::none; }
};

ClientMessage parseClientMessage(const std::string& text);

}  // namespace fp::service
