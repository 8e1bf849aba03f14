// The durable result log: every finalized result, whole, as one log line at its commit, and one
// line for every change of its delivery state per sink. In a container these lines go to
// stdout, so the platform's log store (CloudWatch Logs...) keeps them with its retention even
// when the storage holding the outbox is lost; `fire-poker replay-results` reads them back.
//
// Each message is one JSON object whose first member is "event":
//   result.committed  resultId, roomId, sinks (instance names), record (the sink record)
//   result.delivered  resultId, roomId, sink, attempts
//   result.retrying   resultId, roomId, sink, attempts, reason, nextAttemptAt, sinkPaused
//   result.failed     resultId, roomId, sink, attempts, reason, record  (refused: kept as failed)
//   result.gave_up    resultId, roomId, sink, attempts, reason, record  (after maxAttempts)
//   result.pending    resultId, roomId, sink, attempts, lastError, record (left at shutdown)
// Nothing else goes in: no secret, no name beyond what the record holds (an anonymous room's
// record has no names with its cards). Lines are written through the "results" logger
// (logging::resultLogger()), whose level does not follow log.level.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "firepoker/sdk/storage.hpp"

namespace fp::delivery {

namespace result_event {
inline constexpr const char* committed = "result.committed";
inline constexpr const char* delivered = "result.delivered";
inline constexpr const char* retrying = "result.retrying";
inline constexpr const char* failed = "result.failed";
inline constexpr const char* gaveUp = "result.gave_up";
inline constexpr const char* pending = "result.pending";
}  // namespace result_event

class ResultLog {
  public:
    // Lines go to `logger` at info level; null writes nothing (tests of other parts).
    explicit ResultLog(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

    // A finalize was committed with one outbox record per sink in `sinkNames`. `recordJson`
    // is the sink record (one JSON object) as the rules rendered it.
    void committed(const std::string& roomId, const std::string& resultId,
                   const std::string& recordJson, const std::vector<std::string>& sinkNames) const;
    // The outbox record's sink has the result. `record.attempts`: attempts before this one.
    void delivered(const fp::sdk::OutboxRecord& record) const;
    // Not delivered yet; tried again at `nextAttemptAtMs` (unix ms). `attempts`: attempts
    // counted so far. `sinkPaused`: the sink cannot deliver anything now (401, unreachable).
    void retrying(const fp::sdk::OutboxRecord& record, std::uint32_t attempts,
                  const std::string& reason, std::int64_t nextAttemptAtMs, bool sinkPaused) const;
    // The sink refused the result, or there is no such sink (it is kept as failed for an
    // operator). `attempts`: attempts counted, this one included.
    void failed(const fp::sdk::OutboxRecord& record, std::uint32_t attempts,
                const std::string& reason) const;
    // Given up after `record.attempts` attempts (kept as failed for an operator).
    void gaveUp(const fp::sdk::OutboxRecord& record, const std::string& reason) const;
    // Still waiting for its sink when this server stopped.
    void pending(const fp::sdk::OutboxRecord& record) const;

    // The line of each event, without writing it (tests, and the formats' documentation).
    static std::string committedLine(const std::string& roomId, const std::string& resultId,
                                     const std::string& recordJson,
                                     const std::vector<std::string>& sinkNames);
    struct StateChange {
        const char* event = result_event::delivered;
        std::uint32_t attempts = 0;
        std::string reason;                 // "reason", or "lastError" for pending
        std::int64_t nextAttemptAtMs = -1;  // retrying only
        bool sinkPaused = false;            // retrying only
        bool withRecord = false;            // failed, gave_up, pending: the record too
    };
    static std::string stateLine(const fp::sdk::OutboxRecord& record, const StateChange& change);

  private:
    void write(const std::string& line) const;

    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace fp::delivery
