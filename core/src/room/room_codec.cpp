#include "room/room_codec.hpp"

#include <set>
#include <stdexcept>

#include "room/result_stats.hpp"

namespace fp::room {
namespace {

using Poco::Dynamic::Var;

Poco::JSON::Object::Ptr encodeVote(const VoteRecord& vote) {
    auto object = json::object();
    object->set("name", json::orNull(vote.name));
    object->set("card", vote.card);
    return object;
}

Poco::JSON::Array::Ptr encodeVotes(const std::vector<VoteRecord>& votes) {
    auto array = json::array();
    for (const auto& vote : votes) {
        array->add(encodeVote(vote));
    }
    return array;
}

Poco::JSON::Object::Ptr encodeRound(const RoundRecord& round) {
    auto object = json::object();
    object->set("round", round.round);
    object->set("votes", encodeVotes(round.votes));
    object->set("stats", statsToJson(round.stats));
    return object;
}

Poco::JSON::Array::Ptr encodeRounds(const std::vector<RoundRecord>& rounds) {
    auto array = json::array();
    for (const auto& round : rounds) {
        array->add(encodeRound(round));
    }
    return array;
}

Poco::JSON::Object::Ptr encodeHistoryEntry(const HistoryEntry& entry) {
    auto object = json::object();
    object->set("resultId", entry.resultId);
    object->set("story", encodeStory(entry.story));
    object->set("estimate", entry.estimate);
    object->set("votes", encodeVotes(entry.votes));
    object->set("stats", statsToJson(entry.stats));
    object->set("rounds", entry.rounds);
    object->set("earlierRounds", encodeRounds(entry.earlierRounds));
    object->set("finalizedAt", entry.finalizedAtMs);
    object->set("participants", entry.participants);
    return object;
}

Poco::JSON::Object::Ptr encodeParticipant(const Participant& p) {
    auto object = json::object();
    object->set("id", p.id);
    object->set("name", p.name);
    object->set("role", toString(p.role));
    object->set("card", json::orNull(p.card));
    auto connections = json::object();
    for (const auto& [instance, count] : p.connections) {
        connections->set(instance, count);
    }
    object->set("connections", connections);
    object->set("joinedAt", p.joinedAtMs);
    object->set("joinSeq", p.joinSeq);
    object->set("offlineSince", json::orNull(p.offlineSince));
    object->set("resumeTokenHash", p.resumeTokenHash);
    return object;
}

Poco::JSON::Array::Ptr encodeStrings(const std::vector<std::string>& strings) {
    auto array = json::array();
    for (const auto& s : strings) {
        array->add(s);
    }
    return array;
}

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

Poco::JSON::Object::Ptr encodeStory(const Story& story) {
    auto object = json::object();
    object->set("title", story.title);
    object->set("ref", json::orNull(story.ref));
    object->set("url", json::orNull(story.url));
    return object;
}

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

std::string encodeRoom(const Room& room) {
    auto object = json::object();
    object->set("schema", kRoomDocumentSchema);
    object->set("id", room.id);
    object->set("name", room.name);
    object->set("version", room.version);
    object->set("createdAt", room.createdAtMs);
    object->set("stage", toString(room.stage));
    object->set("deck", encodeStrings(room.deck));
    auto settings = json::object();
    settings->set("autoReveal", room.settings.autoReveal);
    settings->set("hostOnly", room.settings.hostOnly);
    settings->set("anonymous", room.settings.anonymous);
    settings->set("deckName", room.settings.deckName);
    object->set("settings", settings);
    object->set("story", room.story ? Var(encodeStory(*room.story)) : Var());
    object->set("round", room.round);
    object->set("earlierRounds", encodeRounds(room.earlierRounds));
    auto queue = json::array();
    for (const auto& story : room.queue) {
        queue->add(encodeStory(story));
    }
    object->set("queue", queue);
    auto participants = json::array();
    for (const auto& p : room.participants) {
        participants->add(encodeParticipant(p));
    }
    object->set("participants", participants);
    object->set("facilitatorId", room.facilitatorId);
    if (room.timer) {
        auto timer = json::object();
        timer->set("startedAt", room.timer->startedAtMs);
        timer->set("endsAt", room.timer->endsAtMs);
        timer->set("seconds", room.timer->seconds);
        timer->set("autoReveal", room.timer->autoReveal);
        timer->set("expired", room.timer->expired);
        object->set("timer", timer);
    } else {
        object->set("timer", Var());
    }
    auto history = json::array();
    for (const auto& entry : room.history) {
        history->add(encodeHistoryEntry(entry));
    }
    object->set("history", history);
    object->set("departed", encodeStrings(room.departed));
    object->set("nextJoinSeq", room.nextJoinSeq);
    return json::stringify(object);
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
    for (std::size_t i = 0; i < history->size(); ++i) {
        room.history.push_back(decodeHistoryEntry(reader.elementObject(history, i, "history")));
    }
    room.departed = decodeStrings(reader, "departed");
    const std::int64_t nextSeq = reader.integer("nextJoinSeq");
    if (nextSeq < 1) {
        reader.fail("nextJoinSeq", "must be at least 1");
    }
    room.nextJoinSeq = static_cast<std::uint64_t>(nextSeq);
    return room;
}

}  // namespace fp::room
