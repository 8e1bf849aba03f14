// The internal room document: JSON with everything of a Room, secrets and hashes included.
// decodeRoom(encodeRoom(room)) == room, and encodeRoom(decodeRoom(text)) == text for every text
// encodeRoom made. Never sent to clients: see public_state.hpp for what they see.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "room/encoded_text.hpp"
#include "room/json_util.hpp"
#include "room/room_model.hpp"

namespace fp::room {

inline constexpr int kRoomDocumentSchema = 1;

std::string encodeRoom(const Room& room);
// The same text, with where its pieces sit; `previous` (the same room as encoded before, may be
// null) gives the pieces to copy when their values did not change.
EncodedText encodeRoomText(const Room& room, const PreviousText* previous);
// Throws std::runtime_error naming the field ("room document: participants[1].name must be a
// string") when the text is not a room document this code wrote.
Room decodeRoom(const std::string& json);

// Pieces, shared with the sink record reader.
Story decodeStory(const json::Reader& reader);
Stats decodeStats(const json::Reader& reader);
VoteRecord decodeVote(const json::Reader& reader);
RoundRecord decodeRound(const json::Reader& reader);

}  // namespace fp::room
