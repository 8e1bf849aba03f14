// The server's configuration after validation, defaults and environment overrides.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::config {

// The core's settings. Their defaults, ranges, help and file keys are in one table
// (core_settings.cpp); these structs only hold the values, filled from it by the loader.
struct ServerSettings {
    std::string listen;
    std::string webRoot;     // absolute after loading; empty = search the default places
    std::string instanceId;  // empty = generated at start
    std::string pluginPath;  // extra plugin folders, ':'-separated
    int maxParticipantsPerRoom = 0;
    int maxRoomsPerInstance = 0;
    int graceSeconds = 0;
    int roomTtlSeconds = 0;
    int shutdownTimeoutSeconds = 0;
    int workerThreads = 0;
    int heartbeatSeconds = 0;
    int instanceTtlSeconds = 0;
    int sweepIntervalSeconds = 0;
    std::string allowedOrigins;  // empty = same host only
    double messagesPerSecond = 0;
    int messageBurst = 0;
    int rateLimitCloseSeconds = 0;
};

struct LogSettings {
    std::string format;
    std::string level;
};

// OpenTelemetry export of the metrics (OTLP over HTTP/JSON); off while otlpEndpoint is empty.
struct TelemetrySettings {
    std::string otlpEndpoint;
    int exportIntervalSeconds = 0;
    int exportTimeoutSeconds = 0;
    std::string serviceName;
};

struct DeliverySettings {
    int maxAttempts = 0;
    double requestsPerSecond = 0;
    int initialBackoffMs = 0;
    int maxBackoffMs = 0;
    int claimVisibilitySeconds = 0;
};

// A plugin chosen in the config: which one, under which instance name, with which options.
struct PluginChoice {
    std::string section;       // "transport", "storage", "bus" or "sinks.N"
    std::string instanceName;  // sinks: their "name"; else the section
    std::string plugin;        // e.g. "storage-memory"
    fp::sdk::PluginKind kind = fp::sdk::PluginKind::storage;
    Poco::JSON::Object::Ptr rawOptions;  // as written; validated against the manifest later
    fp::sdk::PluginOptions options;      // filled once the manifest is known
};

struct AppConfig {
    std::string file;             // the config file ("" = built-in defaults)
    std::string configDirectory;  // relative paths resolve against it
    ServerSettings server;
    LogSettings log;
    DeliverySettings delivery;
    TelemetrySettings telemetry;
    PluginChoice transport;
    PluginChoice storage;
    PluginChoice bus;
    std::vector<PluginChoice> sinks;
};

}  // namespace fp::config
