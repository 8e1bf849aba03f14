#include "room/room_codec.hpp"

#include <set>
#include <stdexcept>

#include "room/json_writer.hpp"
#include "room/public_state.hpp"
#include "room/result_stats.hpp"

namespace fp::room {
namespace {

using Poco::Dynamic::Var;

std::vector<std::string> decodeStrings(const json::Reader& reader, const std::string& key) {
    auto array = reader.array(key);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        out.push_back(reader.elementString(array, i, key));
    }
    return out;
}

std::vector<VoteRecord> decodeVotes(const json::Reader& reader, const std::string& key) {
    auto array = reader.array(key);
    std::vector<VoteRecord> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        out.push_back(decodeVote(reader.elementObject(array, i, key)));
    }
    return out;
}

std::vector<RoundRecord> decodeRounds(const json::Reader& reader, const std::string& key) {
    auto array = reader.array(key);
    std::vector<RoundRecord> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        out.push_back(decodeRound(reader.elementObject(array, i, key)));
    }
    return out;
}

int decodeInt(const json::Reader& reader, const std::string& key, std::int64_t min,
              std::int64_t max) {
    const std::int64_t value = reader.integer(key);
    if (value < min || value > max) {
        reader.fail(key, "is out of range (" + std::to_string(value) + ")");
    }
    return static_cast<int>(value);
}

HistoryEntry decodeHistoryEntry(const json::Reader& reader) {
    HistoryEntry entry;
    entry.resultId = reader.string("resultId");
    entry.story = decodeStory(reader.object("story"));
    entry.estimate = reader.string("estimate");
    entry.votes = decodeVotes(reader, "votes");
    entry.stats = decodeStats(reader.object("stats"));
    entry.rounds = decodeInt(reader, "rounds", 1, 1 << 30);
    entry.earlierRounds = decodeRounds(reader, "earlierRounds");
    entry.finalizedAtMs = reader.integer("finalizedAt");
    entry.participants = decodeInt(reader, "participants", 0, 1 << 30);
    return entry;
}

Participant decodeParticipant(const json::Reader& reader) {
    Participant p;
    p.id = reader.string("id");
    if (p.id.empty()) {
        reader.fail("id", "is empty");
    }
    p.name = reader.string("name");
    const std::string role = reader.string("role");
    if (role == "voter") {
        p.role = Role::voter;
    } else if (role == "observer") {
        p.role = Role::observer;
    } else {
        reader.fail("role", "must be voter or observer, not \"" + role + "\"");
    }
    p.card = reader.optionalString("card");
    auto connections = reader.rawObject("connections");
    json::Reader connectionsReader(connections, reader.path() + ".connections");
    for (const auto& key : connections->getNames()) {
        p.connections[key] = decodeInt(connectionsReader, key, 1, 1 << 30);
    }
    p.joinedAtMs = reader.integer("joinedAt");
    const std::int64_t seq = reader.integer("joinSeq");
    if (seq < 0) {
        reader.fail("joinSeq", "is negative");
    }
    p.joinSeq = static_cast<std::uint64_t>(seq);
    p.offlineSince = reader.optionalInteger("offlineSince");
    if (p.online() == p.offlineSince.has_value()) {
        reader.fail("offlineSince", p.online() ? "is set for a participant with connections"
                                               : "is missing for a participant without "
                                                 "connections");
    }
    p.resumeTokenHash = reader.string("resumeTokenHash");
    return p;
}

}  // namespace

Story decodeStory(const json::Reader& reader) {
    Story story;
    story.title = reader.string("title");
    story.ref = reader.optionalString("ref");
    story.url = reader.optionalString("url");
    return story;
}

Stats decodeStats(const json::Reader& reader) {
    Stats stats;
    stats.average = reader.optionalNumber("average");
    stats.median = reader.optionalNumber("median");
    stats.min = reader.optionalString("min");
    stats.max = reader.optionalString("max");
    auto distribution = reader.rawObject("distribution");
    json::Reader distributionReader(distribution, reader.path() + ".distribution");
    for (const auto& card : distribution->getNames()) {
        stats.distribution.emplace_back(card, decodeInt(distributionReader, card, 1, 1 << 30));
    }
    stats.consensus = reader.boolean("consensus");
    stats.agreement = reader.number("agreement");
    stats.votes = decodeInt(reader, "votes", 0, 1 << 30);
    return stats;
}

VoteRecord decodeVote(const json::Reader& reader) {
    VoteRecord vote;
    vote.name = reader.optionalString("name");
    vote.card = reader.string("card");
    return vote;
}

RoundRecord decodeRound(const json::Reader& reader) {
    RoundRecord round;
    round.round = decodeInt(reader, "round", 1, 1 << 30);
    round.votes = decodeVotes(reader, "votes");
    round.stats = decodeStats(reader.object("stats"));
    return round;
}

namespace {

void writeVotesDocument(json::Writer& out, const std::vector<VoteRecord>& votes) {
    out.beginArray();
    for (const auto& vote : votes) {
        out.beginObject().key("name").optionalString(vote.name).key("card").string(vote.card);
        out.endObject();
    }
    out.endArray();
}

void writeRoundsDocument(json::Writer& out, const std::vector<RoundRecord>& rounds) {
    out.beginArray();
    for (const auto& round : rounds) {
        out.beginObject().key("round").integer(round.round).key("votes");
        writeVotesDocument(out, round.votes);
        out.key("stats");
        writeStats(out, round.stats);
        out.endObject();
    }
    out.endArray();
}

void writeStrings(json::Writer& out, const std::vector<std::string>& strings) {
    out.beginArray();
    for (const auto& s : strings)
        out.string(s);
    out.endArray();
}

void writeParticipantDocument(json::Writer& out, const Participant& p) {
    out.beginObject();
    out.key("id").string(p.id);
    out.key("name").string(p.name);
    out.key("role").string(toString(p.role));
    out.key("card").optionalString(p.card);
    out.key("connections").beginObject();
    for (const auto& [instance, count] : p.connections)
        out.key(instance).integer(count);
    out.endObject();
    out.key("joinedAt").integer(p.joinedAtMs);
    out.key("joinSeq").unsignedInteger(p.joinSeq);
    out.key("offlineSince").optionalInteger(p.offlineSince);
    out.key("resumeTokenHash").string(p.resumeTokenHash);
    out.endObject();
}

void writeHistoryDocument(json::Writer& out, const std::vector<HistoryEntry>& history) {
    out.beginArray();
    for (const auto& entry : history) {
        out.beginObject().key("resultId").string(entry.resultId).key("story");
        writeStory(out, entry.story);
        out.key("estimate").string(entry.estimate).key("votes");
        writeVotesDocument(out, entry.votes);
        out.key("stats");
        writeStats(out, entry.stats);
        out.key("rounds").integer(entry.rounds).key("earlierRounds");
        writeRoundsDocument(out, entry.earlierRounds);
        out.key("finalizedAt").integer(entry.finalizedAtMs);
        out.key("participants").integer(entry.participants);
        out.endObject();
    }
    out.endArray();
}

}  // namespace

// Written directly (not through a Poco::JSON tree): this runs on every change of a room. The
// bytes are those the tree would give (tests/unit/room/json_writer_test.cpp), copied pieces
// included.
EncodedText encodeRoomText(const Room& room, const PreviousText* previous) {
    EncodedText encoded;
    std::string& text = encoded.text;
    text.reserve(previous ? previous->encoded.text.size() + 256
                          : 1024 + room.participants.size() * 256 + room.history.size() * 512);
    json::Writer out(text);
    out.beginObject();
    out.key("schema").integer(kRoomDocumentSchema);
    out.key("id").string(room.id);
    out.key("name").string(room.name);
    out.key("version").unsignedInteger(room.version);
    out.key("createdAt").integer(room.createdAtMs);
    out.key("stage").string(toString(room.stage));
    out.key("deck");
    encoded.deck = writePiece(
        out, previous, previous ? &previous->encoded.deck : nullptr,
        [&](const Room& before) { return before.deck == room.deck; },
        [&] { writeStrings(out, room.deck); });
    out.key("settings")
        .beginObject()
        .key("autoReveal")
        .boolean(room.settings.autoReveal)
        .key("hostOnly")
        .boolean(room.settings.hostOnly)
        .key("anonymous")
        .boolean(room.settings.anonymous)
        .key("deckName")
        .string(room.settings.deckName)
        .endObject();
    out.key("story");
    if (room.story)
        writeStory(out, *room.story);
    else
        out.null();
    out.key("round").integer(room.round);
    out.key("earlierRounds");
    writeRoundsDocument(out, room.earlierRounds);
    out.key("queue").beginArray();
    for (const auto& story : room.queue)
        writeStory(out, story);
    out.endArray();
    out.key("participants").beginArray();
    encoded.participants.reserve(room.participants.size());
    for (std::size_t i = 0; i < room.participants.size(); ++i) {
        const Participant& p = room.participants[i];
        encoded.participants.push_back(writePiece(
            out, previous, participantPiece(previous, i),
            [&](const Room& before) { return before.participants[i] == p; },
            [&] { writeParticipantDocument(out, p); }));
    }
    out.endArray();
    out.key("facilitatorId").string(room.facilitatorId);
    out.key("timer");
    if (room.timer) {
        out.beginObject()
            .key("startedAt")
            .integer(room.timer->startedAtMs)
            .key("endsAt")
            .integer(room.timer->endsAtMs)
            .key("seconds")
            .integer(room.timer->seconds)
            .key("autoReveal")
            .boolean(room.timer->autoReveal)
            .key("expired")
            .boolean(room.timer->expired)
            .endObject();
    } else {
        out.null();
    }
    out.key("history");
    encoded.history = writePiece(
        out, previous, previous ? &previous->encoded.history : nullptr,
        [&](const Room& before) { return sameHistory(before.history, room.history); },
        [&] { writeHistoryDocument(out, room.history.items()); });
    out.key("departed");
    encoded.departed = writePiece(
        out, previous, previous ? &previous->encoded.departed : nullptr,
        [&](const Room& before) { return sameDeparted(before.departed, room.departed); },
        [&] { writeStrings(out, room.departed.items()); });
    out.key("nextJoinSeq").unsignedInteger(room.nextJoinSeq);
    out.endObject();
    return encoded;
}

std::string encodeRoom(const Room& room) {
    return encodeRoomText(room, nullptr).text;
}

Room decodeRoom(const std::string& text) {
    const json::Reader reader(json::parseObject(text, "room document"), "room document");
    const std::int64_t schema = reader.integer("schema");
    if (schema != kRoomDocumentSchema) {
        reader.fail("schema", "is " + std::to_string(schema) + ", this server reads " +
                                  std::to_string(kRoomDocumentSchema));
    }
    Room room;
    room.id = reader.string("id");
    room.name = reader.string("name");
    const std::int64_t version = reader.integer("version");
    if (version < 0) {
        reader.fail("version", "is negative");
    }
    room.version = static_cast<std::uint64_t>(version);
    room.createdAtMs = reader.integer("createdAt");
    const std::string stage = reader.string("stage");
    if (stage == "voting") {
        room.stage = Stage::voting;
    } else if (stage == "revealed") {
        room.stage = Stage::revealed;
    } else {
        reader.fail("stage", "must be voting or revealed, not \"" + stage + "\"");
    }
    room.deck = decodeStrings(reader, "deck");
    if (room.deck.empty()) {
        reader.fail("deck", "is empty");
    }
    const json::Reader settings = reader.object("settings");
    room.settings.autoReveal = settings.boolean("autoReveal");
    room.settings.hostOnly = settings.boolean("hostOnly");
    room.settings.anonymous = settings.boolean("anonymous");
    room.settings.deckName = settings.string("deckName");
    if (auto story = reader.optionalObject("story")) {
        room.story = decodeStory(*story);
    }
    room.round = decodeInt(reader, "round", 1, 1 << 30);
    room.earlierRounds = decodeRounds(reader, "earlierRounds");
    auto queue = reader.array("queue");
    for (std::size_t i = 0; i < queue->size(); ++i) {
        room.queue.push_back(decodeStory(reader.elementObject(queue, i, "queue")));
    }
    auto participants = reader.array("participants");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < participants->size(); ++i) {
        room.participants.push_back(
            decodeParticipant(reader.elementObject(participants, i, "participants")));
        if (!ids.insert(room.participants.back().id).second) {
            reader.fail("participants[" + std::to_string(i) + "].id",
                        "repeats \"" + room.participants.back().id + "\"");
        }
    }
    room.facilitatorId = reader.string("facilitatorId");
    if (room.facilitatorId.empty() != room.participants.empty() ||
        (!room.facilitatorId.empty() && ids.count(room.facilitatorId) == 0)) {
        reader.fail("facilitatorId", "\"" + room.facilitatorId + "\" is not a participant");
    }
    if (auto timer = reader.optionalObject("timer")) {
        Timer t;
        t.startedAtMs = timer->integer("startedAt");
        t.endsAtMs = timer->integer("endsAt");
        t.seconds = timer->integer("seconds");
        t.autoReveal = timer->boolean("autoReveal");
        t.expired = timer->boolean("expired");
        room.timer = t;
    }
    auto history = reader.array("history");
    auto& entries = room.history.mutate();
    for (std::size_t i = 0; i < history->size(); ++i) {
        entries.push_back(decodeHistoryEntry(reader.elementObject(history, i, "history")));
    }
    room.departed.mutate() = decodeStrings(reader, "departed");
    const std::int64_t nextSeq = reader.integer("nextJoinSeq");
    if (nextSeq < 1) {
        reader.fail("nextJoinSeq", "must be at least 1");
    }
    room.nextJoinSeq = static_cast<std::uint64_t>(nextSeq);
    return room;
}

}  // namespace fp::room
