#include "config/core_settings_schema.hpp"

namespace fp::config {
namespace {
using fp::sdk::OptionSpec;
using fp::sdk::OptionType;

OptionSpec text(const char* name, const char* def, const char* description) {
    OptionSpec s;
    s.name = name;
    s.type = OptionType::string;
    s.defaultValue = std::string("\"") + def + "\"";
    s.description = description;
    return s;
}

OptionSpec integer(const char* name, long def, double min, double max, const char* description) {
    OptionSpec s;
    s.name = name;
    s.type = OptionType::integer;
    s.defaultValue = std::to_string(def);
    s.minimum = min;
    s.maximum = max;
    s.description = description;
    return s;
}

OptionSpec number(const char* name, double def, double min, double max, const char* description) {
    OptionSpec s = integer(name, 0, min, max, description);
    s.type = OptionType::number;
    s.defaultValue = std::to_string(def);
    return s;
}
}  // namespace

const std::vector<OptionSpec>& serverSchema() {
    static const std::vector<OptionSpec> specs = {
        text("listen", "127.0.0.1:8080",
             "address to listen on, HOST:PORT (port 0 = any free port)"),
        text("webRoot", "",
             "folder of the web client; relative to the config file; empty = the installed one"),
        text("instanceId", "", "unique id of this server instance; empty = generated"),
        text("pluginPath", "", "extra folders to search for plugins, ':'-separated"),
        integer("maxParticipantsPerRoom", 100, 1, 10000,
                "participants a room holds; the next join gets room_full"),
        integer("graceSeconds", 600, 1, 7 * 86400,
                "an offline participant is removed after this long"),
        integer("roomTtlSeconds", 86400, 0, 365 * 86400,
                "idle rooms expire from storage after this long (0 = never)"),
        integer("shutdownTimeoutSeconds", 10, 1, 600, "graceful shutdown waits at most this long"),
        integer("workerThreads", 2, 1, 64, "threads applying room commands"),
        integer("heartbeatSeconds", 10, 1, 60, "how often this instance refreshes its presence"),
        integer("instanceTtlSeconds", 30, 3, 60,
                "an instance silent this long is taken for dead; its participants go offline"),
        integer("sweepIntervalSeconds", 5, 1, 60,
                "how often rooms with local connections are checked for due work"),
    };
    return specs;
}

const std::vector<OptionSpec>& logSchema() {
    static const std::vector<OptionSpec> specs = {
        text("format", "auto", "auto (text on a terminal, else JSON lines), text or json"),
        text("level", "info", "trace, debug, info, warn or error"),
    };
    return specs;
}

const std::vector<OptionSpec>& deliverySchema() {
    static const std::vector<OptionSpec> specs = {
        integer("maxAttempts", 12, 1, 1000, "attempts before a result is kept as failed"),
        number("requestsPerSecond", 3.0, 0.1, 10000, "deliveries per second per sink, at most"),
        integer("initialBackoffMs", 1000, 10, 600000,
                "first retry delay; doubles each attempt, with jitter"),
        integer("maxBackoffMs", 60000, 100, 3600000, "retry delay cap"),
        integer("claimVisibilitySeconds", 120, 5, 3600,
                "a claimed result returns to the queue after this if its claimer dies"),
    };
    return specs;
}

}  // namespace fp::config
