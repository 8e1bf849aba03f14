#include "redis_settings.hpp"

#include <stdexcept>

namespace fp::plugins::redis {
namespace {
fp::sdk::OptionSpec text(std::string name, const std::string& fallback, std::string description) {
    fp::sdk::OptionSpec spec;
    spec.name = std::move(name);
    spec.type = fp::sdk::OptionType::string;
    spec.description = std::move(description);
    spec.defaultValue = "\"" + fallback + "\"";  // plain text: no quotes or backslashes
    return spec;
}

fp::sdk::OptionSpec secret(std::string name, std::string description) {
    fp::sdk::OptionSpec spec;
    spec.name = std::move(name);
    spec.description = std::move(description);
    spec.secret = true;  // no default: absent unless set in the environment
    return spec;
}

fp::sdk::OptionSpec milliseconds(std::string name, int fallback, int maximum,
                                 std::string description) {
    fp::sdk::OptionSpec spec;
    spec.name = std::move(name);
    spec.type = fp::sdk::OptionType::integer;
    spec.description = std::move(description);
    spec.defaultValue = std::to_string(fallback);
    spec.minimum = 10;
    spec.maximum = maximum;
    return spec;
}
}  // namespace

std::vector<fp::sdk::OptionSpec> connectionOptionSpecs() {
    return {
        text("url", "redis://127.0.0.1:6379/0",
             "redis://[[user]:password@]host[:port][/db]; prefer the password option "
             "(environment only) to a password in the url"),
        secret("password", "Redis password (AUTH); wins over one in the url"),
        milliseconds("connectTimeoutMs", 1000, 60000, "time allowed to open a connection"),
        milliseconds("commandTimeoutMs", 1000, 60000,
                     "time allowed for one answer; a slower one counts as Redis unavailable"),
        milliseconds("reconnectMinMs", 100, 60000, "first pause before reconnecting; doubles"),
        milliseconds("reconnectMaxMs", 5000, 300000, "longest pause between reconnect attempts"),
        text("keyPrefix", "fp",
             "prefix of every key and channel; storage-redis and bus-redis must use the same "
             "one"),
    };
}

RedisSettings settingsFromOptions(const fp::sdk::PluginOptions& options) {
    RedisSettings settings;
    settings.address = parseRedisUrl(options.getString("url"));
    if (options.has("password") && !options.getString("password").empty())
        settings.address.password = options.getString("password");
    settings.connectTimeout = std::chrono::milliseconds(options.getInt("connectTimeoutMs"));
    settings.commandTimeout = std::chrono::milliseconds(options.getInt("commandTimeoutMs"));
    settings.reconnectMin = std::chrono::milliseconds(options.getInt("reconnectMinMs"));
    settings.reconnectMax = std::chrono::milliseconds(options.getInt("reconnectMaxMs"));
    if (settings.reconnectMin > settings.reconnectMax)
        throw std::invalid_argument("reconnectMinMs must not be above reconnectMaxMs");
    settings.keyPrefix = options.getString("keyPrefix");
    if (settings.keyPrefix.empty() ||
        settings.keyPrefix.find_first_of("{} \t\r\n") != std::string::npos)
        throw std::invalid_argument("keyPrefix must be non-empty, without braces or spaces");
    return settings;
}

}  // namespace fp::plugins::redis
