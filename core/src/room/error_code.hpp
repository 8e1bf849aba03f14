// The errors of the wire protocol, typed inside the core: the protocol's strings ("not_joined",
// "wrong_stage"...) appear only where a message is written (wireName).
#pragma once

#include <cstdint>
#include <string_view>

namespace fp::room {

enum class ErrorCode : std::uint8_t {
    none,  // success
    badJson,
    badMessage,
    unknownType,
    notJoined,
    alreadyJoined,
    invalidCard,
    invalidName,
    invalidRoom,
    forbidden,
    wrongStage,
    roomFull,
    rateLimited,
    badResume,
    unavailable,  // storage or bus down: nothing was changed
    internal,
};

// The protocol's name of the code ("bad_json", ...); "" for none.
std::string_view wireName(ErrorCode code);

// Every code but none, in the order above (for metrics and tests).
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::badJson,     ErrorCode::badMessage,    ErrorCode::unknownType,
    ErrorCode::notJoined,   ErrorCode::alreadyJoined, ErrorCode::invalidCard,
    ErrorCode::invalidName, ErrorCode::invalidRoom,   ErrorCode::forbidden,
    ErrorCode::wrongStage,  ErrorCode::roomFull,      ErrorCode::rateLimited,
    ErrorCode::badResume,   ErrorCode::unavailable,   ErrorCode::internal,
};

}  // namespace fp::room
