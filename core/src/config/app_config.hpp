// The server's configuration after validation, defaults and environment overrides.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::config {

struct ServerSettings {
    std::string listen = "127.0.0.1:8080";
    std::string webRoot;     // absolute after loading; empty = search the default places
    std::string instanceId;  // empty = generated at start
    std::string pluginPath;  // extra plugin folders, ':'-separated
    int maxParticipantsPerRoom = 100;
    int maxRoomsPerInstance = 10000;
    int graceSeconds = 600;
    int roomTtlSeconds = 86400;
    int shutdownTimeoutSeconds = 10;
    int workerThreads = 2;
    int heartbeatSeconds = 10;
    int instanceTtlSeconds = 30;
    int sweepIntervalSeconds = 5;
    std::string allowedOrigins;  // empty = same host only
    double messagesPerSecond = 20;
    int messageBurst = 40;
    int rateLimitCloseSeconds = 10;
};

struct LogSettings {
    std::string format = "auto";
    std::string level = "info";
};

// OpenTelemetry export of the metrics (OTLP over HTTP/JSON); off while otlpEndpoint is empty.
struct TelemetrySettings {
    std::string otlpEndpoint;
    int exportIntervalSeconds = 60;
    int exportTimeoutSeconds = 10;
    std::string serviceName = "fire-poker";
};

struct DeliverySettings {
    int maxAttempts = 12;
    double requestsPerSecond = 3.0;
    int initialBackoffMs = 1000;
    int maxBackoffMs = 60000;
    int claimVisibilitySeconds = 120;
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
