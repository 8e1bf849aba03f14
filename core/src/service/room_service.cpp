#include "service/room_service.hpp"

#include <optional>
#include <random>
#include <thread>

#include "room/public_state.hpp"
#include "room/room_codec.hpp"
#include "room/sink_record.hpp"
#include "service/state_message.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::service {
namespace {
using room::CommandKind;
using room::ErrorCode;

CommandResult failure(ErrorCode code, std::string message) {
    CommandResult result;
    result.error = code;
    result.errorMessage = std::move(message);
    return result;
}

}  // namespace

RoomService::RoomService(fp::sdk::Storage& storage, fp::sdk::Bus& bus, RoomServiceLinks links,
                         metrics::MetricsRegistry& metrics, RoomServiceSettings settings,
                         std::shared_ptr<spdlog::logger> logger)
    : storage_(storage),
      bus_(bus),
      links_(std::move(links)),
      metrics_(metrics),
      settings_(std::move(settings)),
      logger_(std::move(logger)) {}

CommandResult RoomService::execute(const std::string& roomId, const room::Command& command,
                                   const room::RuleContext* seat) {
    std::vector<CommandKind> followUps;
    CommandResult result = executeOne(roomId, command, seat, followUps);
    // The follow-ups the rules asked for run next, as the server's own commands; another
    // instance may have done the same first, which makes them wrong_stage.
    for (std::size_t i = 0; i < followUps.size(); ++i) {
        room::Command own;
        own.kind = followUps[i];
        auto followed = executeOne(roomId, own, nullptr, followUps);
        if (!followed.ok() && followed.error != ErrorCode::wrongStage) {
            logger_->warn("room {}: follow-up {} failed: {} {}", roomId, wireName(own.kind),
                          wireName(followed.error), followed.errorMessage);
        }
    }
    return result;
}

CommandResult RoomService::executeOne(const std::string& roomId, const room::Command& command,
                                      const room::RuleContext* seat,
                                      std::vector<CommandKind>& followUps) {
    int conflicts = 0;
    for (int attempt = 0;; ++attempt) {
        const std::int64_t nowMs = util::nowUnixMs();
        // The first try may start from this instance's own last commit (no load): a change
        // made from it costs one storage round trip, since the compare-and-swap proves it
        // current. An error or a no-op decided on it is decided again on a fresh load, so no
        // answer rests on an unchecked copy.
        Base base = startingPoint(roomId, command, attempt == 0, nowMs);
        if (base.error != ErrorCode::none)
            return failure(base.error, std::move(base.errorMessage));
        const room::RuleContext context = contextFor(roomId, command, seat, nowMs);
        room::Outcome outcome = room::applyCommand(*base.room, command, context);
        // A client's error or no-op is decided again on the stored room. The server's own
        // no-ops (most sweeps) stand: nothing newer was seen, and the next sweep looks again.
        if (base.unverified &&
            (!outcome.ok() || (!outcome.changed && isClientCommand(command.kind))))
            continue;
        if (!outcome.ok()) {
            CommandResult result = failure(outcome.error, std::move(outcome.errorMessage));
            result.room = base.room;
            return result;
        }
        if (!outcome.changed) {
            scheduleDue(roomId, *base.room, context);
            CommandResult result;
            result.room = base.room;
            result.participantId = std::move(outcome.participantId);
            return result;
        }
        CommandResult result;
        switch (commit(roomId, command, base, outcome, context, result)) {
            case CommitStatus::committed:
                followUps.insert(followUps.end(), outcome.followUps.begin(),
                                 outcome.followUps.end());
                return result;
            case CommitStatus::unavailable:
                return failure(ErrorCode::unavailable,
                               "storage is unavailable: nothing was changed");
            case CommitStatus::conflict:
                break;
        }
        metrics_.commitConflicts.fetch_add(1, std::memory_order_relaxed);
        if (base.unverified)
            continue;  // the own copy was stale: load, without counting it as contention
        if (++conflicts > settings_.maxConflictRetries) {
            logger_->error("room {}: gave up after {} compare-and-swap conflicts", roomId,
                           conflicts - 1);
            return failure(ErrorCode::unavailable,
                           "the room is too busy right now: nothing was changed");
        }
        pauseAfterConflict(conflicts);
    }
}

RoomService::Base RoomService::startingPoint(const std::string& roomId,
                                             const room::Command& command, bool mayUseOwnCommit,
                                             std::int64_t nowMs) {
    Base base;
    if (mayUseOwnCommit) {
        if (auto own = ownCurrentCommit(roomId)) {
            base.expectedVersion = own->room.version;
            base.room = std::shared_ptr<const room::Room>(own, &own->room);
            base.written = std::move(own);
            base.unverified = true;
            return base;
        }
    }
    RoomRead stored = loadStored(roomId);
    switch (stored.status) {
        case ReadStatus::found:
            base.expectedVersion = stored.room->version;
            base.room = std::move(stored.room);
            base.written = std::move(stored.written);
            return base;
        case ReadStatus::notFound: {
            // Only a join can bring a missing room back; its history comes back from the
            // sinks that can read it (I/O, so never for the other commands, which fail on an
            // empty room anyway).
            auto fresh = std::make_shared<room::Room>(room::newRoom(roomId, nowMs));
            if (command.kind == CommandKind::join && links_.restoreHistory &&
                room::restoreHistory(*fresh, links_.restoreHistory(roomId))) {
                logger_->info("room {} restored with {} results from sinks", roomId,
                              fresh->history.size());
            }
            base.room = std::move(fresh);
            return base;
        }
        case ReadStatus::unreadable:
            base.error = ErrorCode::internal;
            base.errorMessage = "the room's stored data cannot be read";
            return base;
        case ReadStatus::unavailable:
            break;
    }
    base.error = ErrorCode::unavailable;
    base.errorMessage = "storage is unavailable: nothing was changed";
    return base;
}

room::RuleContext RoomService::contextFor(const std::string& roomId, const room::Command& command,
                                          const room::RuleContext* seat, std::int64_t nowMs) const {
    room::RuleContext context;
    context.nowMs = nowMs;
    context.instanceId = settings_.instanceId;
    context.maxParticipants = settings_.maxParticipantsPerRoom;
    context.graceMs = settings_.graceMs;
    context.liveInstances = links_.liveInstances.get();
    if (command.kind == CommandKind::sweep) {
        // Read after the load: a join counts in storage before it is listed here and a close
        // leaves the list before its disconnect commits, so a lower count here is wrong.
        context.localConnections = links_.localPresence.connectionsByParticipant(roomId);
    }
    if (seat != nullptr) {
        context.newParticipantId = seat->newParticipantId;
        context.newResumeTokenHash = seat->newResumeTokenHash;
    }
    if (command.kind == CommandKind::finalize)
        context.newResultId = "r_" + util::randomHex(8);
    return context;
}

RoomService::CommitStatus RoomService::commit(const std::string& roomId,
                                              const room::Command& command, const Base& base,
                                              room::Outcome& outcome,
                                              const room::RuleContext& context,
                                              CommandResult& result) {
    room::Room& next = outcome.room;
    next.version = base.expectedVersion + 1;
    // What this instance wrote for the version the change starts from: the pieces of it that
    // did not change are copied, not written again.
    std::optional<room::PreviousText> previousDocument;
    std::optional<room::PreviousText> previousState;
    if (base.written) {
        previousDocument.emplace(room::PreviousText{base.written->room, base.written->document});
        previousState.emplace(room::PreviousText{base.written->room, base.written->publicState});
    }
    CachedRoom written;
    written.document = room::encodeRoomText(next, previousDocument ? &*previousDocument : nullptr);
    written.publicState = room::publicStateText(next, previousState ? &*previousState : nullptr);

    fp::sdk::CommitRequest request;
    request.roomId = roomId;
    request.expectedVersion = base.expectedVersion;
    request.json = std::move(written.document.text);
    request.ttl = settings_.roomTtl;
    if (outcome.finalizedResultJson) {
        // Committed with the room, or not at all: a result never exists without its records.
        for (const auto& sink : settings_.sinkNames) {
            fp::sdk::OutboxRecord record;
            record.id = sink + "/" + context.newResultId;
            record.sink = sink;
            record.resultId = context.newResultId;
            record.payload = *outcome.finalizedResultJson;
            record.createdAtMs = context.nowMs;
            request.outbox.push_back(std::move(record));
        }
    }
    // A join has no actor yet: the seat it took is who caused it.
    const std::string& actor =
        command.kind == CommandKind::join ? outcome.participantId : command.actorId;
    request.publishPayload = renderStateMessage(*base.room, next, command, actor,
                                                written.publicState.text, context.nowMs);

    const auto committed = storage_.compareAndSwap(request);
    if (committed.status.code == fp::sdk::StatusCode::conflict)
        return CommitStatus::conflict;
    if (!committed.status.ok()) {
        logger_->warn("room {}: commit failed: {}", roomId, committed.status.message);
        return CommitStatus::unavailable;
    }
    metrics_.commits.fetch_add(1, std::memory_order_relaxed);
    links_.versions.committed(roomId, next.version, RoomVersions::Clock::now());
    scheduleDue(roomId, next, context);
    if (outcome.finalizedResultJson && links_.resultCommitted) {
        links_.resultCommitted(CommittedResult{roomId, context.newResultId,
                                               *outcome.finalizedResultJson, settings_.sinkNames});
    }
    result.changed = true;
    result.participantId = std::move(outcome.participantId);
    written.document.text = std::move(request.json);
    written.room = std::move(next);
    result.committed = decodedRooms_.remember(roomId, std::move(written));
    result.room = std::shared_ptr<const room::Room>(result.committed, &result.committed->room);
    if (!storage_.publishesOnCommit()) {
        auto published = bus_.publish(roomId, result.room->version, request.publishPayload);
        if (!published.ok()) {
            // Committed all the same; other instances catch up on the next change or their
            // resync.
            logger_->warn("room {} version {} committed but not published: {}", roomId,
                          result.room->version, published.message);
        }
    }
    return CommitStatus::committed;
}

void RoomService::scheduleDue(const std::string& roomId, const room::Room& room,
                              const room::RuleContext& context) {
    if (auto due = room::nextDueMs(room, context))
        links_.dueRooms.schedule(roomId, *due);
}

void RoomService::pauseAfterConflict(int conflicts) const {
    // Spread retries so competing writers do not collide again in lockstep. Seeded once per
    // thread: opening the random device on every command cost more than the command.
    thread_local std::mt19937 jitter(std::random_device{}());
    std::uniform_int_distribution<int> pause(0, std::min(conflicts - 1, 10) * 200);
    std::this_thread::sleep_for(std::chrono::microseconds(pause(jitter)));
}

std::shared_ptr<const CachedRoom> RoomService::ownCurrentCommit(const std::string& roomId) const {
    auto cached = decodedRooms_.latest(roomId);
    // Only once the fan-out has seen this very version and nothing after it: a newer one
    // means another instance changed the room, an older one (0 after a lost room) that the
    // room started over.
    if (!cached || links_.versions.latestSeen(roomId) != cached->room.version)
        return nullptr;
    return cached;
}

bool RoomService::holdsCurrentCopy(const std::string& roomId) const {
    return ownCurrentCommit(roomId) != nullptr;
}

RoomRead RoomService::loadStored(const std::string& roomId) {
    auto loaded = storage_.load(roomId);
    if (loaded.status.code == fp::sdk::StatusCode::notFound) {
        decodedRooms_.forget(roomId);  // gone from storage: what was kept is stale
        return {ReadStatus::notFound, nullptr, nullptr};
    }
    if (!loaded.status.ok())
        return {ReadStatus::unavailable, nullptr, nullptr};
    // The text this instance committed last is not parsed again (its version is in the text,
    // so it is the stored version).
    auto known = decodedRooms_.find(roomId, loaded.document.json);
    if (known && known->room.version == loaded.document.version) {
        std::shared_ptr<const room::Room> decoded(known, &known->room);
        return {ReadStatus::found, std::move(decoded), std::move(known)};
    }
    try {
        auto decoded = std::make_shared<room::Room>(room::decodeRoom(loaded.document.json));
        decoded->version = loaded.document.version;
        return {ReadStatus::found, std::move(decoded), nullptr};
    } catch (const std::exception& e) {
        logger_->error("room {}: stored document version {} cannot be read: {}", roomId,
                       loaded.document.version, e.what());
        return {ReadStatus::unreadable, nullptr, nullptr};
    }
}

RoomRead RoomService::read(const std::string& roomId) {
    return loadStored(roomId);
}

}  // namespace fp::service
