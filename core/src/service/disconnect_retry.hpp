// Retries the disconnects storage refused (see pending_disconnects.hpp), each on its room's
// lane, until storage takes them. Run by room maintenance with every periodic sweep.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "service/command_lanes.hpp"
#include "service/local_presence.hpp"
#include "service/pending_disconnects.hpp"
#include "service/room_service.hpp"

namespace fp::service {

class DisconnectRetry {
  public:
    DisconnectRetry(PendingDisconnects& pending, RoomService& rooms,
                    const LocalPresence& localPresence, CommandLanes& lanes, std::string instanceId,
                    std::shared_ptr<spdlog::logger> logger);

    // Queues every pending disconnect on its room's lane (maintenance thread; never waits).
    void retryAll();

  private:
    void retry(const PendingDisconnect& pending);

    PendingDisconnects& pending_;
    RoomService& rooms_;
    const LocalPresence& localPresence_;
    CommandLanes& lanes_;
    std::string instanceId_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace fp::service
