// Reads back a room's results from the sinks that can (Notion, sink-jsonl), for a room that
// storage lost in a restart.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "firepoker/sdk/sink.hpp"
#include "room/room_model.hpp"

namespace fp::service {

// Asks each sink that can read history; unreadable records are logged and skipped. The
// caller merges by resultId (room::restoreHistory).
std::vector<room::HistoryEntry> readHistoryFromSinks(
    const std::string& roomId,
    const std::vector<std::pair<std::string, std::shared_ptr<fp::sdk::Sink>>>& sinks,
    spdlog::logger& logger);

}  // namespace fp::service
