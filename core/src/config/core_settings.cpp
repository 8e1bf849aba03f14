#include "config/core_settings.hpp"

#include <regex>
#include <set>

#include "firepoker/sdk/option_builders.hpp"
#include "metrics/otlp_exporter.hpp"

namespace fp::config {
namespace {
namespace option = fp::sdk::option;
using fp::sdk::OptionValue;

// Converts between a member of AppConfig and the validated option value.
template <typename T>
struct ValueOf;
template <>
struct ValueOf<std::string> {
    static std::string from(const OptionValue& v) { return std::get<std::string>(v); }
    static OptionValue to(const std::string& v) { return v; }
};
template <>
struct ValueOf<int> {
    static int from(const OptionValue& v) { return static_cast<int>(std::get<std::int64_t>(v)); }
    static OptionValue to(int v) { return static_cast<std::int64_t>(v); }
};
template <>
struct ValueOf<double> {
    static double from(const OptionValue& v) {
        if (const auto* i = std::get_if<std::int64_t>(&v))
            return static_cast<double>(*i);
        return std::get<double>(v);
    }
    static OptionValue to(double v) { return v; }
};

template <typename Section, typename T>
CoreSetting setting(const char* sectionName, Section AppConfig::*section, T Section::*member,
                    fp::sdk::OptionSpec spec) {
    CoreSetting s;
    s.section = sectionName;
    s.spec = std::move(spec);
    s.store = [section, member](AppConfig& config, const OptionValue& value) {
        config.*section.*member = ValueOf<T>::from(value);
    };
    s.read = [section, member](const AppConfig& config) {
        return ValueOf<T>::to(config.*section.*member);
    };
    return s;
}

CoreSetting withCheck(CoreSetting s, std::function<std::string(const OptionValue&)> check) {
    s.check = std::move(check);
    return s;
}

CoreSetting relativePath(CoreSetting s) {
    s.relativeToConfigFile = true;
    return s;
}

std::function<std::string(const OptionValue&)> oneOf(std::set<std::string> allowed,
                                                     std::string help) {
    return [allowed = std::move(allowed), help = std::move(help)](const OptionValue& value) {
        return allowed.count(std::get<std::string>(value)) != 0 ? std::string() : help;
    };
}

std::string listenProblem(const OptionValue& value) {
    static const std::regex pattern(R"(^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+):([0-9]{1,5})$)");
    const auto& listen = std::get<std::string>(value);
    std::smatch m;
    if (!std::regex_match(listen, m, pattern) || std::stoi(m[2].str()) > 65535)
        return "must be HOST:PORT, not '" + listen + "'";
    return "";
}

std::string otlpProblem(const OptionValue& value) {
    const auto& endpoint = std::get<std::string>(value);
    return endpoint.empty() ? "" : metrics::OtlpExporter::checkEndpoint(endpoint);
}

std::vector<CoreSetting> makeTable() {
    constexpr auto server = &AppConfig::server;
    constexpr auto log = &AppConfig::log;
    constexpr auto delivery = &AppConfig::delivery;
    constexpr auto telemetry = &AppConfig::telemetry;
    using S = ServerSettings;
    using L = LogSettings;
    using D = DeliverySettings;
    using T = TelemetrySettings;
    return {
        withCheck(setting("server", server, &S::listen,
                          option::string("listen", "127.0.0.1:8080",
                                         "address to listen on, HOST:PORT (port 0 = any free "
                                         "port); --listen overrides it")),
                  listenProblem),
        relativePath(setting("server", server, &S::webRoot,
                             option::string("webRoot", "",
                                            "folder of the web client; relative to the config "
                                            "file; empty = the installed one"))),
        setting("server", server, &S::instanceId,
                option::string("instanceId", "",
                               "unique id of this server instance; empty = generated")),
        setting(
            "server", server, &S::pluginPath,
            option::string("pluginPath", "", "extra folders to search for plugins, ':'-separated")),
        setting("server", server, &S::maxParticipantsPerRoom,
                option::integer("maxParticipantsPerRoom", 100,
                                "participants a room holds; the next join gets room_full")
                    .between(1, 10000)),
        setting("server", server, &S::maxRoomsPerInstance,
                option::integer("maxRoomsPerInstance", 10000,
                                "rooms this instance serves at once (rooms with its "
                                "connections); a join that would make one more gets "
                                "unavailable")
                    .between(1, 1000000)),
        setting("server", server, &S::graceSeconds,
                option::integer("graceSeconds", 600,
                                "an offline participant is removed after this long")
                    .between(1, 7 * 86400)),
        setting("server", server, &S::roomTtlSeconds,
                option::integer("roomTtlSeconds", 86400,
                                "idle rooms expire from storage after this long (0 = never)")
                    .between(0, 365 * 86400)),
        setting("server", server, &S::shutdownTimeoutSeconds,
                option::integer("shutdownTimeoutSeconds", 10,
                                "graceful shutdown waits at most this long")
                    .between(1, 600)),
        setting("server", server, &S::workerThreads,
                option::integer("workerThreads", 2,
                                "threads applying room commands when storage or bus does I/O")
                    .between(1, 64)),
        setting("server", server, &S::heartbeatSeconds,
                option::integer("heartbeatSeconds", 10,
                                "how often this instance refreshes its presence")
                    .between(1, 60)),
        setting("server", server, &S::instanceTtlSeconds,
                option::integer("instanceTtlSeconds", 30,
                                "an instance silent this long is taken for dead; its "
                                "participants go offline")
                    .between(3, 60)),
        setting("server", server, &S::sweepIntervalSeconds,
                option::integer("sweepIntervalSeconds", 5,
                                "how often rooms with local connections are checked for due "
                                "work")
                    .between(1, 60)),
        setting("server", server, &S::allowedOrigins,
                option::string("allowedOrigins", "",
                               "origins whose pages may open a WebSocket, comma-separated; '*' "
                               "= any; empty = same host only")),
        setting("server", server, &S::messagesPerSecond,
                option::number("messagesPerSecond", 20, "client messages per second per connection")
                    .between(0.1, 10000)),
        setting("server", server, &S::messageBurst,
                option::integer("messageBurst", 40, "client messages a connection may send at once")
                    .between(1, 100000)),
        setting("server", server, &S::rateLimitCloseSeconds,
                option::integer("rateLimitCloseSeconds", 10,
                                "a connection over its message rate this long is closed (1008)")
                    .between(1, 3600)),

        withCheck(setting("log", log, &L::format,
                          option::string("format", "auto",
                                         "auto (text on a terminal, else JSON lines), text or "
                                         "json")),
                  oneOf({"auto", "text", "json"}, "must be auto, text or json")),
        withCheck(setting("log", log, &L::level,
                          option::string("level", "info",
                                         "trace, debug, info, warn (or warning, as JSON lines "
                                         "write it) or error")),
                  oneOf({"trace", "debug", "info", "warn", "warning", "error"},
                        "must be trace, debug, info, warn (warning) or error")),

        setting("delivery", delivery, &D::maxAttempts,
                option::integer("maxAttempts", 12, "attempts before a result is kept as failed")
                    .between(1, 1000)),
        setting("delivery", delivery, &D::requestsPerSecond,
                option::number("requestsPerSecond", 3.0, "deliveries per second per sink, at most")
                    .between(0.1, 10000)),
        setting("delivery", delivery, &D::initialBackoffMs,
                option::integer("initialBackoffMs", 1000,
                                "first retry delay; doubles each attempt, with jitter")
                    .between(10, 600000)),
        setting("delivery", delivery, &D::maxBackoffMs,
                option::integer("maxBackoffMs", 60000, "retry delay cap").between(100, 3600000)),
        setting("delivery", delivery, &D::claimVisibilitySeconds,
                option::integer("claimVisibilitySeconds", 120,
                                "a claimed result returns to the queue after this if its "
                                "claimer dies")
                    .between(5, 3600)),

        withCheck(setting("telemetry", telemetry, &T::otlpEndpoint,
                          option::string("otlpEndpoint", "",
                                         "OTLP/HTTP JSON metrics endpoint of a collector, e.g. "
                                         "http://127.0.0.1:4318/v1/metrics; empty = no export")),
                  otlpProblem),
        setting("telemetry", telemetry, &T::exportIntervalSeconds,
                option::integer("exportIntervalSeconds", 60, "how often the metrics are exported")
                    .between(1, 3600)),
        setting("telemetry", telemetry, &T::exportTimeoutSeconds,
                option::integer("exportTimeoutSeconds", 10, "timeout of one export request")
                    .between(1, 120)),
        setting("telemetry", telemetry, &T::serviceName,
                option::string("serviceName", "fire-poker", "the service.name resource attribute")),
    };
}

}  // namespace

const std::vector<CoreSetting>& coreSettings() {
    static const std::vector<CoreSetting> table = makeTable();
    return table;
}

const std::vector<std::string>& coreSections() {
    static const std::vector<std::string> sections = [] {
        std::vector<std::string> names;
        for (const auto& s : coreSettings()) {
            if (names.empty() || names.back() != s.section)
                names.push_back(s.section);
        }
        return names;
    }();
    return sections;
}

std::vector<fp::sdk::OptionSpec> sectionSpecs(const std::string& section) {
    std::vector<fp::sdk::OptionSpec> specs;
    for (const auto& s : coreSettings()) {
        if (s.section == section)
            specs.push_back(s.spec);
    }
    return specs;
}

}  // namespace fp::config
