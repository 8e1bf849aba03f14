#include "room/sink_record.hpp"

#include <algorithm>
#include <set>

#include "room/json_util.hpp"
#include "room/room_codec.hpp"
#include "room/time_format.hpp"

namespace fp::room {

HistoryEntry decodeSinkRecord(const std::string& text) {
    const json::Reader reader(json::parseObject(text, "result record"), "result record");
    HistoryEntry entry;
    entry.resultId = reader.string("resultId");
    if (entry.resultId.empty()) {
        reader.fail("resultId", "is empty");
    }
    entry.story = decodeStory(reader.object("story"));
    entry.estimate = reader.string("estimate");
    auto votes = reader.array("votes");
    for (std::size_t i = 0; i < votes->size(); ++i) {
        entry.votes.push_back(decodeVote(reader.elementObject(votes, i, "votes")));
    }
    entry.stats = decodeStats(reader.object("stats"));
    entry.rounds = static_cast<int>(reader.integer("rounds"));
    auto rounds = reader.array("earlierRounds");
    for (std::size_t i = 0; i < rounds->size(); ++i) {
        entry.earlierRounds.push_back(
            decodeRound(reader.elementObject(rounds, i, "earlierRounds")));
    }
    const std::string finalizedAt = reader.string("finalizedAt");
    auto ms = parseIsoUtcMs(finalizedAt);
    if (!ms) {
        reader.fail("finalizedAt", "is not an ISO-8601 time: \"" + finalizedAt + "\"");
    }
    entry.finalizedAtMs = *ms;
    entry.participants = static_cast<int>(reader.optionalInteger("participants").value_or(0));
    return entry;
}

bool restoreHistory(Room& room, std::vector<HistoryEntry> entries) {
    std::set<std::string> known;
    for (const auto& entry : room.history) {
        known.insert(entry.resultId);
    }
    std::vector<HistoryEntry> added;
    for (auto& entry : entries) {
        if (known.insert(entry.resultId).second)
            added.push_back(std::move(entry));
    }
    if (added.empty()) {
        return false;
    }
    auto& history = room.history.mutate();
    for (auto& entry : added)
        history.push_back(std::move(entry));
    std::stable_sort(history.begin(), history.end(),
                     [](const HistoryEntry& a, const HistoryEntry& b) {
                         return a.finalizedAtMs < b.finalizedAtMs;
                     });
    if (history.size() > kMaxStoredHistory) {
        history.erase(history.begin(),
                      history.end() - static_cast<std::ptrdiff_t>(kMaxStoredHistory));
    }
    return true;
}

}  // namespace fp::room
