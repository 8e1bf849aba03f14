// Every key and channel name the Redis plugins use (docs/redis.md shows the same table).
// Redis Cluster's rule, kept by every script: the keys of one script share one hash slot.
// A room's keys (document, channel, outbox) share the hash tag {room:ID}; the index of
// rooms with outbox records shares {outbox}; presence has {presence}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fp::plugins::redis {

class KeyLayout {
  public:
    explicit KeyLayout(std::string prefix) : prefix_(std::move(prefix)) {}

    // Hash {v: version, json: document}; expires after the commit's ttl.
    std::string roomDocument(const std::string& roomId) const { return room(roomId) + ":doc"; }
    // The pub/sub channel of a room's states; storage-redis publishes here on commit and
    // bus-redis subscribes here.
    std::string roomChannel(const std::string& roomId) const { return room(roomId) + ":state"; }
    // The room id of a channel named by roomChannel, or nullopt.
    std::optional<std::string> roomOfChannel(const std::string& channel) const;

    // A room's outbox (never expires, outlives the document):
    // sorted set: record id -> unix ms when it may be claimed (notBefore, or claim expiry).
    std::string outboxDue(const std::string& roomId) const { return outbox(roomId) + "due"; }
    // Sorted set: record id -> createdAtMs, for pending records (the oldest's age).
    std::string outboxCreated(const std::string& roomId) const {
        return outbox(roomId) + "created";
    }
    // Sorted set: record id -> unix ms when it was given up on.
    std::string outboxFailed(const std::string& roomId) const { return outbox(roomId) + "failed"; }
    // Hash: "<attribute>:<record id>" -> value (id, sink, resultId, payload, attempts, ...).
    std::string outboxRecords(const std::string& roomId) const { return outbox(roomId) + "rec"; }

    // The index, in one slot of its own. Sorted set: room id -> unix ms when the room may
    // have a record due (a hint: the room's own keys are the truth).
    std::string outboxRooms() const { return prefix_ + ":{outbox}:rooms"; }
    // Hash: room id -> the mark of its last change (a value of markSeq).
    std::string outboxMarks() const { return prefix_ + ":{outbox}:marks"; }
    // Counter handing out marks.
    std::string outboxMarkSeq() const { return prefix_ + ":{outbox}:markSeq"; }
    // Sorted set: room id -> mark, for rooms holding failed records.
    std::string outboxFailedRooms() const { return prefix_ + ":{outbox}:failedRooms"; }

    // A SCAN pattern matching every room's outbox keys (the prefix's glob characters escaped).
    std::string outboxScanPattern() const;
    // The room id and the last part ("due", "created", "failed", "rec") of a key named by
    // outboxDue/Created/Failed/Records, or nullopt.
    std::optional<std::pair<std::string, std::string>> roomOfOutboxKey(
        const std::string& key) const;

    // Sorted set: server instance id -> unix ms when its heartbeat expires.
    std::string instances() const { return prefix_ + ":{presence}:instances"; }

  private:
    std::string room(const std::string& roomId) const { return prefix_ + ":{room:" + roomId + "}"; }
    std::string outbox(const std::string& roomId) const { return room(roomId) + ":outbox:"; }

    std::string prefix_;
};

// What travels on a room's channel: "<version>\n<state message text>".
std::string encodeBusMessage(std::uint64_t version, const std::string& payload);
// False when the message does not start with a version line.
bool decodeBusMessage(const std::string& message, std::uint64_t& version, std::string& payload);

}  // namespace fp::plugins::redis
