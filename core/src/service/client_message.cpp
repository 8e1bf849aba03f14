#include "service/client_message.hpp"

#include <Poco/JSON/Parser.h>

#include "room/utf8.hpp"

namespace fp::service {
namespace {

// A client's text (a type) quoted in an error message: whole code points, at most 32 of
// them, never bytes that are not UTF-8.
std::string quoteType(const std::string& type) {
    std::string safe = room::escapeInvalidUtf8(type);
    std::size_t cut = 0;
    int codePoints = 0;
    while (cut < safe.size() && codePoints < 32) {
        const auto sequence = room::readUtf8(safe, cut);
        cut += sequence.length == 0 ? 1 : sequence.length;
        ++codePoints;
    }
    return "'" + safe.substr(0, cut) + (cut < safe.size() ? "...'" : "'");
}

}  // namespace

ClientMessage parseClientMessage(const std::string& text) {
    using room::ErrorCode;
    ClientMessage parsed;
    try {
        Poco::JSON::Parser parser;
        auto value = parser.parse(text);
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
            parsed.error = ErrorCode::badMessage;
            parsed.errorMessage = "a message is one JSON object";
            return parsed;
        }
        parsed.body = value.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        // POCO's message quotes the byte it stopped at, which may be one byte of a multi-byte
        // character: escaped, so the reply stays valid UTF-8.
        parsed.error = ErrorCode::badJson;
        parsed.errorMessage =
            "the message is not valid JSON: " + room::escapeInvalidUtf8(e.message());
        return parsed;
    } catch (const std::exception& e) {
        parsed.error = ErrorCode::badJson;
        parsed.errorMessage = "the message is not valid JSON: " + room::escapeInvalidUtf8(e.what());
        return parsed;
    }
    if (parsed.body->has("rid")) {
        auto rid = parsed.body->get("rid");
        // Booleans count as numeric for Poco: refused by name.
        if (!rid.isEmpty() && (rid.isBoolean() || (!rid.isString() && !rid.isNumeric()))) {
            parsed.error = ErrorCode::badMessage;
            parsed.errorMessage = "rid must be a string or a number";
            return parsed;
        }
        parsed.rid = rid;
    }
    if (!parsed.body->has("type") || !parsed.body->get("type").isString()) {
        parsed.error = ErrorCode::badMessage;
        parsed.errorMessage = "the field 'type' (a string) is missing";
        return parsed;
    }
    parsed.type = parsed.body->getValue<std::string>("type");
    parsed.kind = room::clientCommandKind(parsed.type);
    if (!parsed.kind) {
        parsed.error = ErrorCode::unknownType;
        parsed.errorMessage = "unknown message type " + quoteType(parsed.type);
    }
    return parsed;
}

}  // namespace fp::service
