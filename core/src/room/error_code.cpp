#include "room/error_code.hpp"

namespace fp::room {

std::string_view wireName(ErrorCode code) {
    switch (code) {
        case ErrorCode::none:
            return "";
        case ErrorCode::badJson:
            return "bad_json";
        case ErrorCode::badMessage:
            return "bad_message";
        case ErrorCode::unknownType:
            return "unknown_type";
        case ErrorCode::notJoined:
            return "not_joined";
        case ErrorCode::alreadyJoined:
            return "already_joined";
        case ErrorCode::invalidCard:
            return "invalid_card";
        case ErrorCode::invalidName:
            return "invalid_name";
        case ErrorCode::invalidRoom:
            return "invalid_room";
        case ErrorCode::forbidden:
            return "forbidden";
        case ErrorCode::wrongStage:
            return "wrong_stage";
        case ErrorCode::roomFull:
            return "room_full";
        case ErrorCode::rateLimited:
            return "rate_limited";
        case ErrorCode::badResume:
            return "bad_resume";
        case ErrorCode::unavailable:
            return "unavailable";
        case ErrorCode::internal:
            return "internal";
    }
    return "internal";
}

}  // namespace fp::room
