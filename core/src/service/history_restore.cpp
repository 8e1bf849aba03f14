#include "service/history_restore.hpp"

#include "room/sink_record.hpp"

namespace fp::service {

std::vector<room::HistoryEntry> readHistoryFromSinks(
    const std::string& roomId,
    const std::vector<std::pair<std::string, std::shared_ptr<fp::sdk::Sink>>>& sinks,
    spdlog::logger& logger) {
    std::vector<room::HistoryEntry> entries;
    for (const auto& [name, sink] : sinks) {
        if (!sink->canReadHistory())
            continue;
        fp::sdk::HistoryResult history;
        try {
            history = sink->readHistory(roomId);
        } catch (const std::exception& e) {
            logger.error("room {}: sink {} threw reading history: {}", roomId, name, e.what());
            continue;
        }
        if (!history.status.ok()) {
            logger.warn("room {}: sink {} cannot read history: {}", roomId, name,
                        history.status.message);
            continue;
        }
        for (const auto& record : history.results) {
            try {
                entries.push_back(room::decodeSinkRecord(record));
            } catch (const std::exception& e) {
                logger.warn("room {}: sink {} returned an unreadable result: {}", roomId, name,
                            e.what());
            }
        }
    }
    return entries;
}

}  // namespace fp::service
