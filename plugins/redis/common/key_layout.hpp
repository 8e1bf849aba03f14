// Every key and channel name the Redis plugins use (docs/redis.md shows the same table).
// Keys of one room share the hash tag {room:ID}; the outbox's keys share {outbox}; presence
// has {presence}: a script never touches more than one tag except a finalize's commit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fp::plugins::redis {

class KeyLayout {
  public:
    explicit KeyLayout(std::string prefix) : prefix_(std::move(prefix)) {}

    // Hash {v: version, json: document}; expires after the commit's ttl.
    std::string roomDocument(const std::string& roomId) const {
        return prefix_ + ":{room:" + roomId + "}:doc";
    }
    // The pub/sub channel of a room's states; storage-redis publishes here on commit and
    // bus-redis subscribes here.
    std::string roomChannel(const std::string& roomId) const {
        return prefix_ + ":{room:" + roomId + "}:state";
    }
    // The room id of a channel named by roomChannel, or nullopt.
    std::optional<std::string> roomOfChannel(const std::string& channel) const;

    // Sorted set: record id -> unix ms when it may be claimed (notBefore, or claim expiry).
    std::string outboxDue() const { return prefix_ + ":{outbox}:due"; }
    // Sorted set: record id -> createdAtMs, for pending records (the oldest's age).
    std::string outboxCreated() const { return prefix_ + ":{outbox}:created"; }
    // Sorted set: record id -> unix ms when it was given up on.
    std::string outboxFailed() const { return prefix_ + ":{outbox}:failed"; }
    // Prefix of the per-record hashes (id, sink, resultId, payload, attempts, ...).
    std::string outboxRecordPrefix() const { return prefix_ + ":{outbox}:rec:"; }
    std::string outboxRecord(const std::string& recordId) const {
        return outboxRecordPrefix() + recordId;
    }

    // Sorted set: server instance id -> unix ms when its heartbeat expires.
    std::string instances() const { return prefix_ + ":{presence}:instances"; }

  private:
    std::string prefix_;
};

// What travels on a room's channel: "<version>\n<state message text>".
std::string encodeBusMessage(std::uint64_t version, const std::string& payload);
// False when the message does not start with a version line.
bool decodeBusMessage(const std::string& message, std::uint64_t& version, std::string& payload);

}  // namespace fp::plugins::redis
