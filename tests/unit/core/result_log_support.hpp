// Sample sink records and result log lines as the server writes them, for the result log's
// tests: records rendered by the room rules, lines through the real formatters.
#pragma once

#include <Poco/JSON/Object.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>

#include "logging/json_log_formatter.hpp"
#include "room/public_state.hpp"
#include "room/result_stats.hpp"
#include "room/room_rules.hpp"

namespace fp::testing {

// A finalized result of room "team-a", voted by Aiko (5) and Ben (8).
inline std::string sampleRecord(const std::string& resultId, bool anonymous = false) {
    auto room = fp::room::newRoom("team-a", 1767348000000);
    room.name = "Team A";
    room.settings.anonymous = anonymous;
    fp::room::HistoryEntry entry;
    entry.resultId = resultId;
    entry.story.title = "Login \"page\"\nsecond line, {braces} and [brackets]";
    entry.story.ref = "FP-12";
    entry.estimate = "5";
    entry.votes = {{anonymous ? std::nullopt : std::optional<std::string>("Aiko"), "5"},
                   {anonymous ? std::nullopt : std::optional<std::string>("Ben"), "8"}};
    entry.stats = fp::room::computeStats({"5", "8"}, room.deck);
    entry.finalizedAtMs = 1767348000123;
    entry.participants = 2;
    return fp::room::renderSinkRecord(room, entry);
}

// `message` as the "results" logger writes it: "json" (JsonObjectLogFormatter) or "text".
inline std::string formatted(const std::string& message, const std::string& format) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    spdlog::logger logger("results", sink);
    if (format == "json")
        logger.set_formatter(std::make_unique<fp::logging::JsonObjectLogFormatter>());
    else
        logger.set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
    logger.info("{}", message);
    logger.flush();
    std::string line = out.str();
    if (!line.empty() && line.back() == '\n')
        line.pop_back();
    return line;
}

// A JSON string literal of `text` (quotes included), as a log store would embed a line.
inline std::string jsonString(const std::string& text) {
    Poco::JSON::Object::Ptr holder = new Poco::JSON::Object();
    holder->set("v", text);
    std::ostringstream out;
    holder->stringify(out);
    const std::string all = out.str();  // {"v":"..."}
    return all.substr(5, all.size() - 6);
}

}  // namespace fp::testing
