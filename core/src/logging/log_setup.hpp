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
// A logger for one plugin instance: every line carries its name.
std::shared_ptr<fp::sdk::Logger> pluginLogger(const std::string& instanceName);

}  // namespace fp::logging
