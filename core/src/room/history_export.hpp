// GET /api/rooms/{id}/history: every stored result (at most kMaxStoredHistory), oldest first,
// as JSON, CSV (RFC 4180) or a Markdown table. With `anonymous` on, no name is paired with a
// card in any of them.
#pragma once

#include <string>
#include <string_view>

#include "room/room_model.hpp"

namespace fp::room {

// {"results": [history entry, ...]} oldest first (entries as in RoomState.history).
std::string renderHistoryJson(const Room& room);

// Header + one line per result, CRLF line ends. Columns: finalizedAt, resultId, title, ref,
// url, estimate, rounds, votes, average, median, min, max, consensus, agreement, cards.
std::string renderHistoryCsv(const Room& room);
// A GitHub-flavoured Markdown table with the same results.
std::string renderHistoryMarkdown(const Room& room);

// One CSV field: quoted when it holds , " CR or LF (quotes doubled); a text that a spreadsheet
// would run as a formula (starts with = + - @ or tab) gets a leading '.
std::string csvField(std::string_view text);
// One Markdown table cell: \ and | escaped, line breaks become spaces.
std::string markdownCell(std::string_view text);

}  // namespace fp::room
