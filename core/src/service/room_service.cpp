#include "service/room_service.hpp"

#include <random>
#include <thread>

#include "room/room_codec.hpp"
#include "room/sink_record.hpp"
#include "service/state_message.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::service {

RoomService::RoomService(fp::sdk::Storage& storage, fp::sdk::Bus& bus, RoomFanout& fanout,
                         metrics::MetricsRegistry& metrics, RoomServiceSettings settings,
                         std::shared_ptr<spdlog::logger> logger,
                         const delivery::ResultLog& resultLog)
    : storage_(storage),
      bus_(bus),
      fanout_(fanout),
      metrics_(metrics),
      settings_(std::move(settings)),
      logger_(std::move(logger)),
      resultLog_(resultLog) {}

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

std::shared_ptr<const room::Room> RoomService::latestCommitted(const std::string& roomId) const {
    auto cached = decodedRooms_.latest(roomId);
    // Only once the bus has brought this very version back and nothing after it: a newer one
    // means another instance changed the room, an older one (0 after a lost room) that the
    // fan-out started over.
    if (!cached || fanout_.latestVersion(roomId) != cached->version)
        return nullptr;
    return cached;
}

std::string RoomService::renderState(const room::Room& room, const room::Command& cause) const {
    return renderStateMessage(room, room, cause, cause.actorId, util::nowUnixMs());
}

CommandResult RoomService::execute(const std::string& roomId, const room::Command& command,
                                   const room::RuleContext* issue) {
    int conflicts = 0;
    for (int attempt = 0;; ++attempt) {
        const std::int64_t nowMs = util::nowUnixMs();
        // Shared with the decoded-room cache when it hits: read only, never copied.
        std::shared_ptr<const room::Room> currentRoom;
        std::uint64_t expected = 0;
        // First try: the room as this instance last committed it, unless the bus has since
        // brought a newer version. A change made from it costs one storage round trip, since
        // the compare-and-swap proves it still current; an error or a no-op decided on it is
        // decided again on a fresh load, so no answer rests on an unchecked copy.
        const bool unverified = attempt == 0 && (currentRoom = latestCommitted(roomId)) != nullptr;
        if (unverified) {
            expected = currentRoom->version;
        } else {
            auto stored = loadStored(roomId);
            if (stored.errorCode == "not_found") {
                currentRoom = std::make_shared<const room::Room>(roomForMissing(roomId, nowMs));
            } else if (stored.errorCode == "internal") {
                return {"internal", "the room's stored data cannot be read", false, {}, {}};
            } else if (!stored.errorCode.empty()) {
                return {
                    "unavailable", "storage is unavailable: nothing was changed", false, {}, {}};
            } else {
                currentRoom = std::move(stored.room);
                expected = currentRoom->version;
            }
        }
        const room::Room& current = *currentRoom;

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
        if (unverified && (!outcome.errorCode.empty() || !outcome.changed))
            continue;  // decided on the cached copy: decide again on the stored room
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
            // A join has no actor yet: the seat it took is who caused it.
            const std::string& actor =
                command.type == "join" ? outcome.participantId : command.actorId;
            request.publishPayload = renderStateMessage(current, next, command, actor, nowMs);
        }

        auto commit = storage_.compareAndSwap(request);
        if (commit.status.ok()) {
            // [result log, issue 15] The whole result, once committed with its outbox records
            // and before anyone is told (flushed: a SIGKILL after the ack cannot lose it).
            if (outcome.finalizedResultJson) {
                resultLog_.committed(roomId, context.newResultId, *outcome.finalizedResultJson,
                                     settings_.sinkNames);
            }
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
            decodedRooms_.remember(roomId, std::move(request.json), std::move(next));
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
        if (unverified)
            continue;  // the cached copy was stale: load, without counting it as contention
        if (++conflicts > settings_.maxConflictRetries) {
            logger_->error("room {}: gave up after {} compare-and-swap conflicts", roomId,
                           conflicts - 1);
            return {"unavailable",
                    "the room is too busy right now: nothing was changed",
                    false,
                    {},
                    {}};
        }
        // Spread retries so competing writers do not collide again in lockstep. Seeded once
        // per thread: opening the random device on every command cost more than the command.
        thread_local std::mt19937 jitter(std::random_device{}());
        std::uniform_int_distribution<int> pause(0, std::min(conflicts - 1, 10) * 200);
        std::this_thread::sleep_for(std::chrono::microseconds(pause(jitter)));
    }
}

RoomService::StoredRoom RoomService::loadStored(const std::string& roomId) {
    auto loaded = storage_.load(roomId);
    if (loaded.status.code == fp::sdk::StatusCode::notFound) {
        decodedRooms_.forget(roomId);  // gone from storage: what was kept is stale
        return {"not_found", nullptr};
    }
    if (!loaded.status.ok())
        return {"unavailable", nullptr};
    // The text this instance committed last is not parsed again (its version is in the text,
    // so it is the stored version).
    auto known = decodedRooms_.find(roomId, loaded.document.json);
    if (known && known->version == loaded.document.version)
        return {"", std::move(known)};
    try {
        auto decoded = std::make_shared<room::Room>(room::decodeRoom(loaded.document.json));
        decoded->version = loaded.document.version;
        return {"", std::move(decoded)};
    } catch (const std::exception& e) {
        logger_->error("room {}: stored document version {} cannot be read: {}", roomId,
                       loaded.document.version, e.what());
        return {"internal", nullptr};
    }
}

std::optional<room::Room> RoomService::read(const std::string& roomId, std::string& errorCode) {
    auto stored = loadStored(roomId);
    errorCode = stored.errorCode;
    if (!stored.room)
        return std::nullopt;
    return *stored.room;
}

}  // namespace fp::service
