// Process-wide logging: readable text on a terminal, JSON lines elsewhere (containers).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "firepoker/sdk/logger.hpp"

namespace fp::logging {

enum class LogFormat { text, json };

// format: "auto" (json unless stderr is a terminal), "text" or "json".
LogFormat resolveFormat(const std::string& format);
void configureLogging(LogFormat format, const std::string& level);
std::shared_ptr<spdlog::logger> coreLogger();
// The durable result log's logger ("results", delivery/result_log.hpp): on stdout (the other
// loggers write to stderr), always at info whatever log.level says, flushed at every line; in
// JSON format each message's members join the envelope (JsonObjectLogFormatter).
inline constexpr const char* kResultLoggerName = "results";
std::shared_ptr<spdlog::logger> resultLogger();
// A logger for one plugin instance: every line carries its name.
std::shared_ptr<fp::sdk::Logger> pluginLogger(const std::string& instanceName);

}  // namespace fp::logging
