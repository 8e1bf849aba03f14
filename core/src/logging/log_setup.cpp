#include "logging/log_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <mutex>

#include "logging/json_log_formatter.hpp"

namespace fp::logging {
namespace {
std::mutex setupMutex;
spdlog::sink_ptr sharedSink;
LogFormat currentFormat = LogFormat::text;
spdlog::level::level_enum currentLevel = spdlog::level::info;

spdlog::sink_ptr sink() {
    std::lock_guard<std::mutex> lock(setupMutex);
    if (!sharedSink) {
        sharedSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    }
    return sharedSink;
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& name) {
    auto existing = spdlog::get(name);
    if (existing)
        return existing;
    auto logger = std::make_shared<spdlog::logger>(name, sink());
    logger->set_level(currentLevel);
    if (currentFormat == LogFormat::json) {
        logger->set_formatter(std::make_unique<JsonLogFormatter>());
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
    }
    spdlog::register_logger(logger);
    return logger;
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
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) {
        l->set_level(currentLevel);
        if (currentFormat == LogFormat::json) {
            l->set_formatter(std::make_unique<JsonLogFormatter>());
        } else {
            l->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
        }
    });
    spdlog::flush_on(spdlog::level::info);
}

std::shared_ptr<spdlog::logger> coreLogger() {
    return makeLogger("core");
}

std::shared_ptr<fp::sdk::Logger> pluginLogger(const std::string& instanceName) {
    return std::make_shared<SpdlogPluginLogger>(makeLogger(instanceName));
}

}  // namespace fp::logging
