// The logger the core hands to each plugin instance. Lines carry the instance's prefix.
#pragma once

#include <string_view>

namespace fp::sdk {

enum class LogLevel { trace, debug, info, warn, error };

class Logger {
  public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view message) = 0;

    void debug(std::string_view m) { log(LogLevel::debug, m); }
    void info(std::string_view m) { log(LogLevel::info, m); }
    void warn(std::string_view m) { log(LogLevel::warn, m); }
    void error(std::string_view m) { log(LogLevel::error, m); }
};

}  // namespace fp::sdk
