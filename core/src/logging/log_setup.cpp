#include "logging/log_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <mutex>

#include "logging/json_log_formatter.hpp"

namespace fp::logging {
namespace {
constexpr const char* kTextPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";

std::mutex setupMutex;
spdlog::sink_ptr sharedSink;
spdlog::sink_ptr resultSink;
LogFormat currentFormat = LogFormat::text;
spdlog::level::level_enum currentLevel = spdlog::level::info;

spdlog::sink_ptr sink() {
    std::lock_guard<std::mutex> lock(setupMutex);
    if (!sharedSink) {
        sharedSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    }
    return sharedSink;
}

spdlog::sink_ptr stdoutSink() {
    std::lock_guard<std::mutex> lock(setupMutex);
    if (!resultSink) {
        resultSink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
    }
    return resultSink;
}

// The format and level rule of one logger. The result log keeps its own rule: at info
// whatever log.level says (a result is never a debug detail), flushed at every line (a
// SIGKILL right after a commit must not lose it), its JSON objects spliced into the envelope.
void applyRule(spdlog::logger& logger) {
    const bool results = logger.name() == kResultLoggerName;
    logger.set_level(results ? spdlog::level::info : currentLevel);
    if (currentFormat == LogFormat::json) {
        if (results)
            logger.set_formatter(std::make_unique<JsonObjectLogFormatter>());
        else
            logger.set_formatter(std::make_unique<JsonLogFormatter>());
    } else {
        logger.set_pattern(kTextPattern);
    }
    logger.flush_on(results ? spdlog::level::trace : spdlog::level::info);
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& name, spdlog::sink_ptr to) {
    auto existing = spdlog::get(name);
    if (existing)
        return existing;
    auto logger = std::make_shared<spdlog::logger>(name, std::move(to));
    applyRule(*logger);
    spdlog::register_logger(logger);
    return logger;
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& name) {
    return makeLogger(name, sink());
}

class SpdlogPluginLogger final : public fp::sdk::Logger {
  public:
    explicit SpdlogPluginLogger(std::shared_ptr<spdlog::logger> logger)
        : logger_(std::move(logger)) {}
    void log(fp::sdk::LogLevel level, std::string_view message) override {
        logger_->log(toSpdlog(level), "{}", message);
    }

  private:
    static spdlog::level::level_enum toSpdlog(fp::sdk::LogLevel level) {
        switch (level) {
            case fp::sdk::LogLevel::trace:
                return spdlog::level::trace;
            case fp::sdk::LogLevel::debug:
                return spdlog::level::debug;
            case fp::sdk::LogLevel::info:
                return spdlog::level::info;
            case fp::sdk::LogLevel::warn:
                return spdlog::level::warn;
            case fp::sdk::LogLevel::error:
                return spdlog::level::err;
        }
        return spdlog::level::info;
    }
    std::shared_ptr<spdlog::logger> logger_;
};
}  // namespace

LogFormat resolveFormat(const std::string& format) {
    if (format == "json")
        return LogFormat::json;
    if (format == "text")
        return LogFormat::text;
    return ::isatty(STDERR_FILENO) ? LogFormat::text : LogFormat::json;
}

void configureLogging(LogFormat format, const std::string& level) {
    currentFormat = format;
    currentLevel = spdlog::level::from_str(level);
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { applyRule(*l); });
}

std::shared_ptr<spdlog::logger> coreLogger() {
    return makeLogger("core");
}

std::shared_ptr<spdlog::logger> resultLogger() {
    return makeLogger(kResultLoggerName, stdoutSink());
}

std::shared_ptr<fp::sdk::Logger> pluginLogger(const std::string& instanceName) {
    return std::make_shared<SpdlogPluginLogger>(makeLogger(instanceName));
}

}  // namespace fp::logging
