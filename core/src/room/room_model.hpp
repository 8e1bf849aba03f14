// The room as data: plain structs, no behaviour beyond small queries. Everything here is
// stored in the internal room document (room_codec), secrets included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "room/shared_list.hpp"

namespace fp::room {

// Limits of PROTOCOL.md, plus the project's own caps (docs/protocol.md).
inline constexpr std::size_t kMaxRoomIdLength = 64;
inline constexpr std::size_t kMaxNameLength = 64;    // participant names, room display name
inline constexpr std::size_t kMaxTitleLength = 256;  // story title
inline constexpr std::size_t kMaxRefLength = 64;     // story ref
inline constexpr std::size_t kMaxUrlLength = 512;    // story url
inline constexpr std::size_t kMaxQueueAdd = 100;     // stories in one queue.add
inline constexpr std::size_t kMaxQueue = 500;        // stories waiting in the queue
inline constexpr std::size_t kMinCustomDeck = 2;     // cards in a custom deck
inline constexpr std::size_t kMaxCustomDeck = 30;
inline constexpr std::size_t kMaxCardLength = 8;       // code points of a custom card
inline constexpr std::size_t kMaxEstimateLength = 16;  // free-text estimate of finalize
inline constexpr std::int64_t kMaxTimerSeconds = 3600;
inline constexpr std::size_t kPublicHistory = 20;       // results in RoomState.history
inline constexpr std::size_t kMaxStoredHistory = 1000;  // results kept in the document
inline constexpr std::size_t kMaxEarlierRounds = 50;    // earlier rounds kept per story
inline constexpr std::size_t kMaxDeparted = 2000;       // departed ids remembered

enum class Stage { voting, revealed };
enum class Role { voter, observer };

struct Story {
    std::string title;
    std::optional<std::string> ref;
    std::optional<std::string> url;
};

// Statistics of one round (PROTOCOL.md "result").
struct Stats {
    std::optional<double> average;  // numeric cards only
    std::optional<double> median;
    std::optional<std::string> min;  // by deck order, estimate cards only
    std::optional<std::string> max;
    std::vector<std::pair<std::string, int>> distribution;  // voted cards, deck order
    bool consensus = false;
    double agreement = 0.0;
    int votes = 0;
};

// One vote as recorded in rounds and results. `name` is absent when the room was anonymous
// when the vote was recorded (then it is never stored).
struct VoteRecord {
    std::optional<std::string> name;
    std::string card;
};

struct RoundRecord {
    int round = 1;
    std::vector<VoteRecord> votes;
    Stats stats;
};

struct HistoryEntry {
    std::string resultId;
    Story story;
    std::string estimate;
    std::vector<VoteRecord> votes;
    Stats stats;
    int rounds = 1;
    std::vector<RoundRecord> earlierRounds;
    std::int64_t finalizedAtMs = 0;
    int participants = 0;  // seats in the room when finalized
};

struct Timer {
    std::int64_t startedAtMs = 0;
    std::int64_t endsAtMs = 0;
    std::int64_t seconds = 0;
    bool autoReveal = false;
    bool expired = false;  // set once when it runs out (by sweep): it never fires again
};

struct Participant {
    std::string id;
    std::string name;
    Role role = Role::voter;  // the facilitator also has one: it may vote unless observer
    std::optional<std::string> card;
    std::map<std::string, int> connections;  // instance id -> open connections (> 0 only)
    std::int64_t joinedAtMs = 0;
    std::uint64_t joinSeq = 0;                 // order of arrival: smaller = present longer
    std::optional<std::int64_t> offlineSince;  // set exactly when there is no connection
    std::string resumeTokenHash;

    int connectionCount() const {
        int total = 0;
        for (const auto& entry : connections) {
            total += entry.second;
        }
        return total;
    }
    bool online() const { return connectionCount() > 0; }
};

struct RoomSettings {
    bool autoReveal = false;
    bool hostOnly = false;
    bool anonymous = false;
    std::string deckName = "fibonacci";  // a preset name or "custom"
};

struct Room {
    std::string id;
    std::string name;
    std::uint64_t version = 0;  // set by the service (expected + 1); never bumped by the rules
    std::int64_t createdAtMs = 0;
    Stage stage = Stage::voting;
    std::vector<std::string> deck;
    RoomSettings settings;
    std::optional<Story> story;
    int round = 1;
    std::vector<RoundRecord> earlierRounds;  // revealed rounds of the current story, oldest first
    std::vector<Story> queue;
    std::vector<Participant> participants;  // in order of arrival
    std::string facilitatorId;              // empty only when there is no participant
    std::optional<Timer> timer;
    SharedList<HistoryEntry> history;  // oldest first, at most kMaxStoredHistory
    SharedList<std::string> departed;  // ids that left for good, oldest first
    std::uint64_t nextJoinSeq = 1;
};

const char* toString(Stage stage);
const char* toString(Role role);

bool operator==(const Story& a, const Story& b);
bool operator==(const Stats& a, const Stats& b);
bool operator==(const VoteRecord& a, const VoteRecord& b);
bool operator==(const RoundRecord& a, const RoundRecord& b);
bool operator==(const HistoryEntry& a, const HistoryEntry& b);
bool operator==(const Timer& a, const Timer& b);
bool operator==(const Participant& a, const Participant& b);
bool operator==(const RoomSettings& a, const RoomSettings& b);
bool operator==(const Room& a, const Room& b);

inline bool operator!=(const Room& a, const Room& b) {
    return !(a == b);
}

// Small queries used by the rules and the renderers.
const Participant* findParticipant(const Room& room, const std::string& id);
Participant* findParticipant(Room& room, const std::string& id);
bool isFacilitator(const Room& room, const std::string& id);
bool canVote(const Participant& participant);  // voters; the facilitator unless observer
bool isDeparted(const Room& room, const std::string& id);

}  // namespace fp::room
