#include "service/room_resync.hpp"

#include "room/public_state.hpp"
#include "service/state_message.hpp"
#include "util/clock.hpp"

namespace fp::service {

RoomResync::RoomResync(RoomService& rooms, RoomFanout& fanout, CommandLanes& lanes,
                       std::shared_ptr<spdlog::logger> logger)
    : rooms_(rooms), fanout_(fanout), lanes_(lanes), logger_(std::move(logger)) {}

void RoomResync::resyncAll() {
    for (const auto& roomId : fanout_.localRooms())
        lanes_.postForRoom(roomId, [this, roomId] { resync(roomId); });
}

void RoomResync::retryFailed() {
    std::set<std::string> rooms;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        rooms.swap(failed_);
    }
    const auto local = fanout_.localRooms();
    const std::set<std::string> stillLocal(local.begin(), local.end());
    for (const auto& roomId : rooms) {
        if (stillLocal.count(roomId) != 0)
            lanes_.postForRoom(roomId, [this, roomId] { resync(roomId); });
    }
}

void RoomResync::resync(const std::string& roomId) {
    const auto stored = rooms_.read(roomId);
    switch (stored.status) {
        case ReadStatus::found: {
            room::Command cause;
            cause.kind = room::CommandKind::resync;
            const auto& room = *stored.room;
            fanout_.deliver(roomId, room.version,
                            renderStateMessage(room, room, cause, "", room::publicStateJson(room),
                                               util::nowUnixMs()));
            return;
        }
        case ReadStatus::notFound:
            fanout_.closeLostRoom(roomId);
            return;
        case ReadStatus::unavailable: {
            std::lock_guard<std::mutex> lock(mutex_);
            failed_.insert(roomId);
            return;
        }
        case ReadStatus::unreadable:
            logger_->error("room {}: not resynced: its stored document cannot be read", roomId);
            return;
    }
}

}  // namespace fp::service
