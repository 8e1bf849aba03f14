#include "service/disconnect_retry.hpp"

#include "util/clock.hpp"

namespace fp::service {

DisconnectRetry::DisconnectRetry(PendingDisconnects& pending, RoomService& rooms,
                                 const LocalPresence& localPresence, CommandLanes& lanes,
                                 std::string instanceId, std::shared_ptr<spdlog::logger> logger)
    : pending_(pending),
      rooms_(rooms),
      localPresence_(localPresence),
      lanes_(lanes),
      instanceId_(std::move(instanceId)),
      logger_(std::move(logger)) {}

void DisconnectRetry::retryAll() {
    auto all = pending_.takeAll();
    if (!all.empty())
        logger_->debug("retrying {} disconnect(s) storage refused", all.size());
    for (auto& disconnect : all) {
        const std::string roomId = disconnect.roomId;
        if (!lanes_.postForRoom(roomId, [this, disconnect] { retry(disconnect); }))
            pending_.add(std::move(disconnect));  // stopping: nothing runs any more
    }
}

void DisconnectRetry::retry(const PendingDisconnect& pending) {
    // The stored count of this instance's connections may already be right: the room may have
    // been recreated (a Redis that restarted empty) and the participant rejoined meanwhile.
    // Only a stored count above this instance's real connections is taken down, one per lost
    // disconnect, which stays right whatever joins and closes happen in between.
    const auto stored = rooms_.read(pending.roomId);
    if (stored.status != ReadStatus::found) {
        if (stored.status == ReadStatus::unavailable)
            pending_.add(pending);
        return;  // not found: the room is gone, and the participant with it
    }
    int counted = 0;
    for (const auto& participant : stored.room->participants) {
        if (participant.id != pending.participantId)
            continue;
        auto it = participant.connections.find(instanceId_);
        counted = it == participant.connections.end() ? 0 : it->second;
    }
    const auto local = localPresence_.connectionsByParticipant(pending.roomId);
    const auto here = local.find(pending.participantId);
    if (counted <= (here == local.end() ? 0 : here->second))
        return;
    room::Command command;
    command.kind = room::CommandKind::disconnect;
    command.actorId = pending.participantId;
    try {
        auto result = rooms_.execute(pending.roomId, command);
        if (result.error == room::ErrorCode::unavailable) {
            pending_.add(pending);
            return;
        }
        if (!result.ok() && result.error != room::ErrorCode::notJoined) {
            logger_->warn("room {}: marking {} offline failed: {} {}", pending.roomId,
                          pending.participantId, wireName(result.error), result.errorMessage);
            return;
        }
    } catch (const std::exception& e) {
        logger_->error("room {}: retried disconnect of {} failed: {}", pending.roomId,
                       pending.participantId, e.what());
        pending_.add(pending);
        return;
    }
    logger_->info("room {}: the disconnect of {} went through {} ms after the connection closed",
                  pending.roomId, pending.participantId, util::nowUnixMs() - pending.sinceUnixMs);
}

}  // namespace fp::service
