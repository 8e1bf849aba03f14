// A room written to JSON text, with where its costly, rarely changing pieces sit in the text,
// so the next version of the same room copies the pieces whose values did not change instead
// of writing them again. One vote changes one participant of ten; history and the departed
// list change only with a result or a removal. Used for the stored document and the public
// state, both written on every change of a room.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "room/json_writer.hpp"
#include "room/room_model.hpp"

namespace fp::room {

struct TextRange {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past the last byte; begin == end: not recorded
};

struct EncodedText {
    std::string text;
    TextRange deck;                       // the deck array
    std::vector<TextRange> participants;  // one per participant, in the room's order
    TextRange history;                    // the history array
    TextRange departed;                   // the departed array (the stored document only)
};

// The same room as written before: its value and its text. Only pieces whose values are
// equal are copied, so the result is byte for byte what writing everything gives.
struct PreviousText {
    const Room& room;
    const EncodedText& encoded;

    std::string_view piece(const TextRange& range) const {
        return std::string_view(encoded.text).substr(range.begin, range.end - range.begin);
    }
};

// Writes one piece and returns where it sits: a copy of the previous text's piece when there is
// one and `unchanged(previousRoom)` says its value is equal, else what `write()` writes.
template <typename Unchanged, typename Write>
TextRange writePiece(json::Writer& out, const PreviousText* previous,
                     const TextRange* previousRange, Unchanged&& unchanged, Write&& write) {
    out.separate();
    const std::size_t begin = out.size();
    if (previous != nullptr && previousRange != nullptr && previousRange->end > 0 &&
        unchanged(previous->room)) {
        out.raw(previous->piece(*previousRange));
    } else {
        write();
    }
    return {begin, out.size()};
}

// The previous text's piece of participant `i`, if it recorded one.
inline const TextRange* participantPiece(const PreviousText* previous, std::size_t i) {
    if (previous == nullptr || i >= previous->encoded.participants.size() ||
        i >= previous->room.participants.size())
        return nullptr;
    return &previous->encoded.participants[i];
}

// The same history (it only grows at the end, loses its oldest entries at the cap, and is
// never edited in place): the same length and the same first and last result.
inline bool sameHistory(const SharedList<HistoryEntry>& a, const SharedList<HistoryEntry>& b) {
    return a.size() == b.size() && (a.empty() || (a.front().resultId == b.front().resultId &&
                                                  a.back().resultId == b.back().resultId));
}

// Likewise for the departed ids (appended, oldest dropped at the cap).
inline bool sameDeparted(const SharedList<std::string>& a, const SharedList<std::string>& b) {
    return a.size() == b.size() && (a.empty() || (a.front() == b.front() && a.back() == b.back()));
}

}  // namespace fp::room
