#include "delivery/result_log.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "room/json_writer.hpp"
#include "room/time_format.hpp"

namespace fp::delivery {
namespace {
using room::json::Writer;

// The record's roomId, and whether the payload is one JSON object that may be embedded as it
// is. Outbox payloads come back from storage: one that is not JSON is left out of the line
// rather than breaking it.
struct PayloadFacts {
    bool isObject = false;
    std::string roomId;
};

PayloadFacts inspect(const std::string& payload) {
    PayloadFacts facts;
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(payload);
        if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
            return facts;
        auto object = parsed.extract<Poco::JSON::Object::Ptr>();
        facts.isObject = true;
        facts.roomId = object->optValue<std::string>("roomId", "");
    } catch (const std::exception&) {
    }
    return facts;
}
}  // namespace

std::string ResultLog::committedLine(const std::string& roomId, const std::string& resultId,
                                     const std::string& recordJson,
                                     const std::vector<std::string>& sinkNames) {
    std::string line;
    line.reserve(recordJson.size() + 128);
    Writer out(line);
    out.beginObject();
    out.key("event").string(result_event::committed);
    out.key("resultId").string(resultId);
    out.key("roomId").string(roomId);
    out.key("sinks").beginArray();
    for (const auto& sink : sinkNames)
        out.string(sink);
    out.endArray();
    // Rendered by the room rules (one compact JSON object): embedded as it is, not re-encoded.
    out.key("record").raw(recordJson);
    out.endObject();
    return line;
}

std::string ResultLog::stateLine(const fp::sdk::OutboxRecord& record, const StateChange& change) {
    const PayloadFacts facts = inspect(record.payload);
    std::string line;
    Writer out(line);
    out.beginObject();
    out.key("event").string(change.event);
    out.key("resultId").string(record.resultId);
    out.key("roomId").string(facts.roomId);
    out.key("sink").string(record.sink);
    out.key("attempts").unsignedInteger(change.attempts);
    const bool isPending = std::string(change.event) == result_event::pending;
    if (change.event != std::string(result_event::delivered))
        out.key(isPending ? "lastError" : "reason").string(change.reason);
    if (change.nextAttemptAtMs >= 0) {
        out.key("nextAttemptAt").string(room::formatIsoUtcMs(change.nextAttemptAtMs));
        out.key("sinkPaused").boolean(change.sinkPaused);
    }
    // A result kept as failed or left pending may outlive the line of its commit (log
    // retention, another instance's log): this line alone is enough to replay it.
    if (change.withRecord && facts.isObject)
        out.key("record").raw(record.payload);
    out.endObject();
    return line;
}

void ResultLog::write(const std::string& line) const {
    if (logger_)
        logger_->info("{}", line);
}

void ResultLog::committed(const std::string& roomId, const std::string& resultId,
                          const std::string& recordJson,
                          const std::vector<std::string>& sinkNames) const {
    if (logger_)
        write(committedLine(roomId, resultId, recordJson, sinkNames));
}

void ResultLog::delivered(const fp::sdk::OutboxRecord& record) const {
    if (!logger_)
        return;
    StateChange change;
    change.event = result_event::delivered;
    change.attempts = record.attempts + 1;
    write(stateLine(record, change));
}

void ResultLog::retrying(const fp::sdk::OutboxRecord& record, std::uint32_t attempts,
                         const std::string& reason, std::int64_t nextAttemptAtMs,
                         bool sinkPaused) const {
    if (!logger_)
        return;
    StateChange change;
    change.event = result_event::retrying;
    change.attempts = attempts;
    change.reason = reason;
    change.nextAttemptAtMs = nextAttemptAtMs;
    change.sinkPaused = sinkPaused;
    write(stateLine(record, change));
}

void ResultLog::failed(const fp::sdk::OutboxRecord& record, std::uint32_t attempts,
                       const std::string& reason) const {
    if (!logger_)
        return;
    StateChange change;
    change.event = result_event::failed;
    change.attempts = attempts;
    change.reason = reason;
    change.withRecord = true;
    write(stateLine(record, change));
}

void ResultLog::gaveUp(const fp::sdk::OutboxRecord& record, const std::string& reason) const {
    if (!logger_)
        return;
    StateChange change;
    change.event = result_event::gaveUp;
    change.attempts = record.attempts;
    change.reason = reason;
    change.withRecord = true;
    write(stateLine(record, change));
}

void ResultLog::pending(const fp::sdk::OutboxRecord& record) const {
    if (!logger_)
        return;
    StateChange change;
    change.event = result_event::pending;
    change.attempts = record.attempts;
    change.reason = record.lastError;
    change.withRecord = true;
    write(stateLine(record, change));
}

}  // namespace fp::delivery
