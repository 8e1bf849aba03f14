// Reading results back from a sink (after a restart that lost storage) into a room's history.
#pragma once

#include <string>
#include <vector>

#include "room/room_model.hpp"

namespace fp::room {

// Reads one record as renderSinkRecord writes it (finalizedAt as ISO-8601). Throws
// std::runtime_error naming the field when it is not one.
HistoryEntry decodeSinkRecord(const std::string& json);

// Adds the results whose resultId the room does not have yet, keeps history ordered by
// finalizedAt (oldest first) and capped at kMaxStoredHistory. Returns true when it added any.
bool restoreHistory(Room& room, std::vector<HistoryEntry> entries);

}  // namespace fp::room
