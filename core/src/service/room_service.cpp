#include "service/room_service.hpp"

#include <Poco/JSON/Object.h>

#include <random>
#include <sstream>
#include <thread>

#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room/sink_record.hpp"
#include "room/time_format.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::service {
namespace {
// The cause of a change as PROTOCOL.md shows it: the message type and who sent it; the
// server's own changes have `by` null and say why in `reason` (an addition).
Poco::JSON::Object::Ptr renderCause(const room::Room& before, const room::Room& after,
                                    const room::Command& command, const std::string& actorId) {
    Poco::JSON::Object::Ptr cause = new Poco::JSON::Object();
    const bool server = actorId.empty();
    std::string type = command.type;
    if (command.type == "autoReveal") {
        type = "reveal";
        cause->set("reason", "allVoted");
    } else if (command.type == "sweep") {
        const bool revealed =
            before.stage == room::Stage::voting && after.stage == room::Stage::revealed;
        const bool timerExpired =
            before.timer && !before.timer->expired && after.timer && after.timer->expired;
        if (revealed) {
            type = "reveal";
            cause->set("reason", "timer");
        } else if (timerExpired) {
            type = "timer";
            cause->set("reason", "expired");
        } else {
            type = "presence";
            cause->set("reason", "presence");
        }
    }
    cause->set("type", type);
    if (server) {
        cause->set("by", Poco::Dynamic::Var());
    } else {
        cause->set("by", actorId);
    }
    if ((command.type == "kick" || command.type == "handover") && command.message &&
        command.message->has("participantId")) {
        cause->set("target", command.message->get("participantId"));
    }
    return cause;
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}
}  // namespace

RoomService::RoomService(fp::sdk::Storage& storage, fp::sdk::Bus& bus, RoomFanout& fanout,
                         metrics::MetricsRegistry& metrics, RoomServiceSettings settings,
                         std::shared_ptr<spdlog::logger> logger)
    : storage_(storage),
      bus_(bus),
      fanout_(fanout),
      metrics_(metrics),
      settings_(std::move(settings)),
      logger_(std::move(logger)) {}

void RoomService::setLiveInstances(std::optional<std::vector<std::string>> live) {
    std::lock_guard<std::mutex> lock(liveMutex_);
    liveInstances_ = std::move(live);
}

room::RuleContext RoomService::baseContext(std::int64_t nowMs) const {
    room::RuleContext context;
    context.nowMs = nowMs;
    context.instanceId = settings_.instanceId;
    context.maxParticipants = settings_.maxParticipantsPerRoom;
    context.graceMs = settings_.graceMs;
    std::lock_guard<std::mutex> lock(liveMutex_);
    context.liveInstances = liveInstances_;
    return context;
}

room::Room RoomService::roomForMissing(const std::string& roomId, std::int64_t nowMs) {
    room::Room fresh = room::newRoom(roomId, nowMs);
    if (restorer_) {
        if (room::restoreHistory(fresh, restorer_(roomId))) {
            logger_->info("room {} restored with {} results from sinks", roomId,
                          fresh.history.size());
        }
    }
    return fresh;
}

std::string RoomService::renderState(const room::Room& room, const room::Command& cause) const {
    Poco::JSON::Object::Ptr message = new Poco::JSON::Object();
    message->set("type", "state");
    message->set("cause", renderCause(room, room, cause, cause.actorId));
    message->set("serverTime", room::formatIsoUtcMs(util::nowUnixMs()));
    message->set("room", room::renderPublicState(room));
    return stringify(message);
}

CommandResult RoomService::execute(const std::string& roomId, const room::Command& command,
                                   const room::RuleContext* issue) {
    std::mt19937 jitter(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
        const std::int64_t nowMs = util::nowUnixMs();
        auto loaded = storage_.load(roomId);
        room::Room current;
        std::uint64_t expected = 0;
        if (loaded.status.ok()) {
            try {
                current = room::decodeRoom(loaded.document.json);
            } catch (const std::exception& e) {
                logger_->error("room {}: stored document version {} cannot be read: {}", roomId,
                               loaded.document.version, e.what());
                return {"internal", "the room's stored data cannot be read", false, {}, {}};
            }
            expected = loaded.document.version;
            current.version = expected;
        } else if (loaded.status.code == fp::sdk::StatusCode::notFound) {
            current = roomForMissing(roomId, nowMs);
        } else {
            return {"unavailable", "storage is unavailable: nothing was changed", false, {}, {}};
        }

        room::RuleContext context = baseContext(nowMs);
        if (command.type == "sweep") {
            // Taken after the load: a join counts in storage before it is listed here and a
            // close leaves the list before its disconnect commits, so lower means wrong.
            context.localConnections = fanout_.localParticipantCounts(roomId);
        }
        if (issue != nullptr) {
            context.newParticipantId = issue->newParticipantId;
            context.newResumeTokenHash = issue->newResumeTokenHash;
        }
        context.newResultId = "r_" + util::randomHex(8);

        room::Outcome outcome = room::applyCommand(current, command, context);
        if (!outcome.errorCode.empty()) {
            return {outcome.errorCode, outcome.errorMessage, false, current, {}};
        }
        if (!outcome.changed) {
            if (dueNotifier_) {
                if (auto due = room::nextDueMs(current, context))
                    dueNotifier_(roomId, *due);
            }
            return {"", "", false, current, outcome.participantId};
        }

        room::Room& next = outcome.room;
        next.version = expected + 1;
        fp::sdk::CommitRequest request;
        request.roomId = roomId;
        request.expectedVersion = expected;
        request.json = room::encodeRoom(next);
        request.ttl = settings_.roomTtl;
        if (outcome.finalizedResultJson) {
            for (const auto& sink : settings_.sinkNames) {
                fp::sdk::OutboxRecord record;
                record.id = sink + "/" + context.newResultId;
                record.sink = sink;
                record.resultId = context.newResultId;
                record.payload = *outcome.finalizedResultJson;
                record.createdAtMs = nowMs;
                request.outbox.push_back(std::move(record));
            }
        }
        {
            Poco::JSON::Object::Ptr message = new Poco::JSON::Object();
            message->set("type", "state");
            // A join has no actor yet: the seat it took is who caused it.
            const std::string& actor =
                command.type == "join" ? outcome.participantId : command.actorId;
            message->set("cause", renderCause(current, next, command, actor));
            message->set("serverTime", room::formatIsoUtcMs(nowMs));
            message->set("room", room::renderPublicState(next));
            request.publishPayload = stringify(message);
        }

        auto commit = storage_.compareAndSwap(request);
        if (commit.status.ok()) {
            metrics_.commits.fetch_add(1, std::memory_order_relaxed);
            fanout_.noteCommitted(roomId, next.version, std::chrono::steady_clock::now());
            if (!storage_.publishesOnCommit()) {
                auto published = bus_.publish(roomId, next.version, request.publishPayload);
                if (!published.ok()) {
                    // Committed all the same; other instances catch up on the next change or
                    // their resync.
                    logger_->warn("room {} version {} committed but not published: {}", roomId,
                                  next.version, published.message);
                }
            }
            if (dueNotifier_) {
                if (auto due = room::nextDueMs(next, context))
                    dueNotifier_(roomId, *due);
            }
            CommandResult result{"", "", true, next, outcome.participantId};
            for (const auto& followUp : outcome.followUps) {
                room::Command serverCommand;
                serverCommand.type = followUp;
                auto followed = execute(roomId, serverCommand);
                if (!followed.errorCode.empty() && followed.errorCode != "wrong_stage") {
                    logger_->warn("room {}: follow-up {} failed: {} {}", roomId, followUp,
                                  followed.errorCode, followed.errorMessage);
                }
            }
            return result;
        }
        if (commit.status.code != fp::sdk::StatusCode::conflict) {
            logger_->warn("room {}: commit failed: {}", roomId, commit.status.message);
            return {"unavailable", "storage is unavailable: nothing was changed", false, {}, {}};
        }
        metrics_.commitConflicts.fetch_add(1, std::memory_order_relaxed);
        if (attempt >= settings_.maxConflictRetries) {
            logger_->error("room {}: gave up after {} compare-and-swap conflicts", roomId, attempt);
            return {"unavailable",
                    "the room is too busy right now: nothing was changed",
                    false,
                    {},
                    {}};
        }
        // Spread retries so competing writers do not collide again in lockstep.
        std::uniform_int_distribution<int> pause(0, std::min(attempt, 10) * 200);
        std::this_thread::sleep_for(std::chrono::microseconds(pause(jitter)));
    }
}

std::optional<room::Room> RoomService::read(const std::string& roomId, std::string& errorCode) {
    auto loaded = storage_.load(roomId);
    if (loaded.status.code == fp::sdk::StatusCode::notFound) {
        errorCode = "not_found";
        return std::nullopt;
    }
    if (!loaded.status.ok()) {
        errorCode = "unavailable";
        return std::nullopt;
    }
    try {
        room::Room room = room::decodeRoom(loaded.document.json);
        room.version = loaded.document.version;
        return room;
    } catch (const std::exception& e) {
        logger_->error("room {}: stored document cannot be read: {}", roomId, e.what());
        errorCode = "internal";
        return std::nullopt;
    }
}

}  // namespace fp::service
