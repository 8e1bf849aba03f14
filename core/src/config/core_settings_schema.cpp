#include "config/core_settings_schema.hpp"

#include "firepoker/sdk/option_builders.hpp"

namespace fp::config {
namespace option = fp::sdk::option;
using fp::sdk::OptionSpec;

const std::vector<OptionSpec>& serverSchema() {
    static const std::vector<OptionSpec> specs = {
        option::string("listen", "127.0.0.1:8080",
                       "address to listen on, HOST:PORT (port 0 = any free port)"),
        option::string("webRoot", "",
                       "folder of the web client; relative to the config file; empty = the "
                       "installed one"),
        option::string("instanceId", "", "unique id of this server instance; empty = generated"),
        option::string("pluginPath", "", "extra folders to search for plugins, ':'-separated"),
        option::integer("maxParticipantsPerRoom", 100,
                        "participants a room holds; the next join gets room_full")
            .between(1, 10000),
        option::integer("maxRoomsPerInstance", 10000,
                        "rooms this instance serves at once (rooms with its connections); a join "
                        "that would make one more gets unavailable")
            .between(1, 1000000),
        option::integer("graceSeconds", 600, "an offline participant is removed after this long")
            .between(1, 7 * 86400),
        option::integer("roomTtlSeconds", 86400,
                        "idle rooms expire from storage after this long (0 = never)")
            .between(0, 365 * 86400),
        option::integer("shutdownTimeoutSeconds", 10, "graceful shutdown waits at most this long")
            .between(1, 600),
        option::integer("workerThreads", 2, "threads applying room commands").between(1, 64),
        option::integer("heartbeatSeconds", 10, "how often this instance refreshes its presence")
            .between(1, 60),
        option::integer("instanceTtlSeconds", 30,
                        "an instance silent this long is taken for dead; its participants go "
                        "offline")
            .between(3, 60),
        option::string("allowedOrigins", "",
                       "origins whose pages may open a WebSocket, comma-separated; '*' = any; "
                       "empty = same host only"),
        option::number("messagesPerSecond", 20, "client messages per second per connection")
            .between(0.1, 10000),
        option::integer("messageBurst", 40, "client messages a connection may send at once")
            .between(1, 100000),
        option::integer("rateLimitCloseSeconds", 10,
                        "a connection over its message rate this long is closed (1008)")
            .between(1, 3600),
        option::integer("sweepIntervalSeconds", 5,
                        "how often rooms with local connections are checked for due work")
            .between(1, 60),
    };
    return specs;
}

const std::vector<OptionSpec>& logSchema() {
    static const std::vector<OptionSpec> specs = {
        option::string("format", "auto",
                       "auto (text on a terminal, else JSON lines), text or json"),
        option::string("level", "info", "trace, debug, info, warn or error"),
    };
    return specs;
}

const std::vector<OptionSpec>& deliverySchema() {
    static const std::vector<OptionSpec> specs = {
        option::integer("maxAttempts", 12, "attempts before a result is kept as failed")
            .between(1, 1000),
        option::number("requestsPerSecond", 3.0, "deliveries per second per sink, at most")
            .between(0.1, 10000),
        option::integer("initialBackoffMs", 1000,
                        "first retry delay; doubles each attempt, with jitter")
            .between(10, 600000),
        option::integer("maxBackoffMs", 60000, "retry delay cap").between(100, 3600000),
        option::integer("claimVisibilitySeconds", 120,
                        "a claimed result returns to the queue after this if its claimer dies")
            .between(5, 3600),
    };
    return specs;
}

const std::vector<OptionSpec>& telemetrySchema() {
    static const std::vector<OptionSpec> specs = {
        option::string("otlpEndpoint", "",
                       "OTLP/HTTP JSON metrics endpoint of a collector, e.g. "
                       "http://127.0.0.1:4318/v1/metrics; empty = no export"),
        option::integer("exportIntervalSeconds", 60, "how often the metrics are exported")
            .between(1, 3600),
        option::integer("exportTimeoutSeconds", 10, "timeout of one export request")
            .between(1, 120),
        option::string("serviceName", "fire-poker", "the service.name resource attribute"),
    };
    return specs;
}

}  // namespace fp::config
