#include "app/server.hpp"

#include <Poco/Environment.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <optional>

#include "app/plugin_set.hpp"
#include "app/process_signals.hpp"
#include "app/startup_checks.hpp"
#include "delivery/outbox_worker.hpp"
#include "delivery/result_log.hpp"
#include "http/admin_routes.hpp"
#include "http/api_routes.hpp"
#include "logging/log_setup.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/otlp_exporter.hpp"
#include "plugins/plugin_catalog.hpp"
#include "service/bus_inbox.hpp"
#include "service/client_gateway.hpp"
#include "service/command_lanes.hpp"
#include "service/connection_sender.hpp"
#include "service/disconnect_retry.hpp"
#include "service/due_rooms.hpp"
#include "service/history_restore.hpp"
#include "service/live_instances.hpp"
#include "service/pending_disconnects.hpp"
#include "service/resume_tokens.hpp"
#include "service/room_fanout.hpp"
#include "service/room_interest.hpp"
#include "service/room_maintenance.hpp"
#include "service/room_resync.hpp"
#include "service/room_service.hpp"
#include "service/room_versions.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fp::app {
namespace {
namespace fs = std::filesystem;

std::string defaultWebRoot() {
    const fs::path exeDir = plugins::executableDirectory();
    const fs::path installed = exeDir / ".." / "share" / "fire-poker" / "web";
    std::error_code ec;
    if (fs::is_directory(installed, ec))
        return installed.lexically_normal().string();
    return FP_SOURCE_WEB_DIR;
}

std::string makeInstanceId() {
    std::string host = "host";
    try {
        host = Poco::Environment::nodeName();
    } catch (...) {
    }
    return host + "-" + std::to_string(::getpid()) + "-" + util::randomHex(3);
}

bool answersFromMemory(const OpenedLibraries& opened, const config::PluginChoice& choice) {
    auto it = opened.find(choice.plugin);
    if (it == opened.end())
        return false;
    const auto& capabilities = it->second->manifest().capabilities;
    return std::find(capabilities.begin(), capabilities.end(),
                     fp::sdk::capability::answersFromMemory) != capabilities.end();
}

}  // namespace

// Everything the server is made of, declared in the order it is built: each part only uses
// parts declared before it, and members are destroyed in reverse, so nothing outlives what it
// uses.
struct Server::Parts {
    std::shared_ptr<spdlog::logger> log;
    std::string instanceId;
    OpenedLibraries opened;
    metrics::MetricsRegistry metrics;  // before the plugins: they register while made
    PluginSet plugins;
    // Each committed result and each change of its delivery state, one JSON line each, on
    // stdout (docs/operations.md, "The result log").
    delivery::ResultLog resultLog{logging::resultLogger()};

    // Shared state of the command path (written by one part, read by another).
    service::RoomVersions versions;
    service::DueRooms dueRooms;
    service::LiveInstances liveInstances;
    service::PendingDisconnects pendingDisconnects;
    std::unique_ptr<service::ResumeTokenAuthority> tokens;

    // The command path, from the last step to the first.
    std::unique_ptr<service::CommandLanes> lanes;
    std::unique_ptr<service::RoomFanout> fanout;
    std::unique_ptr<service::RoomService> rooms;
    std::unique_ptr<service::RoomInterest> interest;
    std::unique_ptr<service::RoomResync> resync;
    std::unique_ptr<service::BusInbox> busInbox;
    std::unique_ptr<service::ConnectionSender> sender;

    // Around it: background work, delivery to sinks, HTTP routes, the gateway.
    std::unique_ptr<service::DisconnectRetry> disconnectRetry;
    std::unique_ptr<service::RoomMaintenance> maintenance;
    std::unique_ptr<delivery::OutboxWorker> outbox;
    std::unique_ptr<http::ApiRoutes> apiRoutes;
    std::unique_ptr<http::AdminRoutes> adminRoutes;
    std::unique_ptr<service::ClientGateway> gateway;
    std::unique_ptr<metrics::OtlpExporter> otlp;

    // Plugins started so far, for a failed start-up to stop them in reverse order.
    std::vector<std::pair<std::string, fp::sdk::Plugin*>> startedPlugins;
};

Server::Server(config::AppConfig config, config::Environment env,
               config::ConfigProblems loadProblems)
    : config_(std::move(config)), env_(std::move(env)), loadProblems_(std::move(loadProblems)) {}

Server::~Server() {
    if (started_)
        stop();
}

int Server::open() {
    // A config that did not load may hold no usable log settings: the defaults then.
    const bool logSettingsLoaded = loadProblems_.empty();
    logging::configureLogging(
        logging::resolveFormat(logSettingsLoaded ? config_.log.format : "auto"),
        logSettingsLoaded ? config_.log.level : "info");
    parts_ = std::make_unique<Parts>();
    Parts& p = *parts_;
    p.log = logging::coreLogger();
    p.instanceId = config_.server.instanceId.empty() ? makeInstanceId() : config_.server.instanceId;

    // Everything that refuses a start (exit code 2), by the same function as --check-config;
    // the plugins come back made, not started.
    StartupCheck checked =
        checkStartup(config_, loadProblems_, env_, p.instanceId, p.metrics.pluginMetrics());
    for (const auto& warning : checked.warnings)
        p.log->warn("{}", warning);
    if (!checked.ok()) {
        for (const auto& problem : checked.problems)
            p.log->critical("config: {}", problem.describe());
        return 2;
    }
    p.opened = std::move(checked.opened);
    p.plugins = std::move(checked.plugins);
    p.tokens = std::make_unique<service::ResumeTokenAuthority>(checked.resumeSecret);
    const auto adminToken = checked.adminToken;

    auto& storage = *p.plugins.storage;
    auto& bus = *p.plugins.bus;
    auto& transport = *p.plugins.transport;
    const auto& server = config_.server;

    p.lanes =
        std::make_unique<service::CommandLanes>(static_cast<std::size_t>(server.workerThreads));
    p.fanout = std::make_unique<service::RoomFanout>(transport, p.versions, p.metrics, p.log);

    service::RoomServiceSettings roomSettings;
    roomSettings.instanceId = p.instanceId;
    roomSettings.maxParticipantsPerRoom = server.maxParticipantsPerRoom;
    roomSettings.graceMs = static_cast<std::int64_t>(server.graceSeconds) * 1000;
    roomSettings.roomTtl = std::chrono::seconds(server.roomTtlSeconds);
    for (const auto& sink : p.plugins.sinks)
        roomSettings.sinkNames.push_back(sink.first);
    service::RoomServiceLinks roomLinks{
        p.versions, *p.fanout, p.dueRooms, p.liveInstances,
        [&sinks = p.plugins.sinks, log = p.log](const std::string& roomId) {
            return service::readHistoryFromSinks(roomId, sinks, *log);
        },
        // The durable result log: each committed result in full, on stdout.
        [&resultLog = p.resultLog](const service::CommittedResult& result) {
            resultLog.committed(result.roomId, result.resultId, result.record, result.sinks);
        }};
    p.rooms = std::make_unique<service::RoomService>(storage, bus, std::move(roomLinks), p.metrics,
                                                     roomSettings, p.log);
    p.interest = std::make_unique<service::RoomInterest>(bus, *p.fanout, p.versions, p.log);
    p.resync = std::make_unique<service::RoomResync>(*p.rooms, *p.fanout, *p.lanes, p.log);
    p.busInbox = std::make_unique<service::BusInbox>(*p.fanout, *p.resync);
    bus.setListener(p.busInbox.get());
    p.sender = std::make_unique<service::ConnectionSender>(transport, p.metrics);

    p.disconnectRetry = std::make_unique<service::DisconnectRetry>(
        p.pendingDisconnects, *p.rooms, *p.fanout, *p.lanes, p.instanceId, p.log);
    service::MaintenanceSettings maintenanceSettings;
    maintenanceSettings.instanceId = p.instanceId;
    maintenanceSettings.heartbeatInterval = std::chrono::seconds(server.heartbeatSeconds);
    maintenanceSettings.instanceTtl = std::chrono::seconds(server.instanceTtlSeconds);
    maintenanceSettings.sweepInterval = std::chrono::seconds(server.sweepIntervalSeconds);
    p.maintenance = std::make_unique<service::RoomMaintenance>(
        service::MaintenanceLinks{*p.rooms, *p.fanout, *p.lanes, storage, p.dueRooms,
                                  p.liveInstances, *p.resync, *p.disconnectRetry},
        maintenanceSettings, p.log);

    p.outbox = std::make_unique<delivery::OutboxWorker>(storage, config_.delivery, p.metrics, p.log,
                                                        p.instanceId, p.resultLog);
    for (const auto& [name, sink] : p.plugins.sinks) {
        p.outbox->addSink(name, sink);
        for (const char* outcome : {"delivered", "retried", "failed", "paused"})
            p.metrics.declareDelivery(name, outcome);
    }
    auto* outbox = p.outbox.get();
    p.metrics.setGaugeFamily("fp_sink_paused", "1 while a sink is paused (see /readyz for why)",
                             "sink", [outbox] {
                                 std::map<std::string, double> values;
                                 for (const auto& [name, paused] : outbox->pausedSinks())
                                     values[name] = paused ? 1.0 : 0.0;
                                 return values;
                             });
    p.metrics.setGauge("fp_outbox_depth", "results waiting for delivery to sinks",
                       [&storage] { return static_cast<double>(storage.outboxStats().pending); });
    p.metrics.setGauge("fp_outbox_failed", "results kept as failed for an operator",
                       [&storage] { return static_cast<double>(storage.outboxStats().failed); });
    p.metrics.setGauge("fp_outbox_oldest_age_seconds", "age of the oldest undelivered result",
                       [&storage] {
                           auto oldest = storage.outboxStats().oldestPendingCreatedAtMs;
                           return oldest == 0 ? 0.0 : (util::nowUnixMs() - oldest) / 1000.0;
                       });
    auto* pending = &p.pendingDisconnects;
    p.metrics.setGauge("fp_pending_disconnects",
                       "disconnects storage refused, waiting to be retried (participants shown "
                       "online meanwhile)",
                       [pending] { return static_cast<double>(pending->size()); });

    auto* plugins = &p.plugins;
    auto readiness = [plugins, outbox]() {
        std::vector<std::string> reasons;
        auto check = [&reasons](const std::string& name, const fp::sdk::Plugin& plugin) {
            auto state = plugin.readiness();
            if (!state.ready)
                reasons.push_back(name + ": " + state.reason);
        };
        check("storage", *plugins->storage);
        check("bus", *plugins->bus);
        check("transport", *plugins->transport);
        for (const auto& [name, sink] : plugins->sinks)
            check("sink " + name, *sink);
        for (auto& reason : outbox->pausedReasons())
            reasons.push_back(std::move(reason));
        return reasons;
    };
    p.apiRoutes = std::make_unique<http::ApiRoutes>(*p.rooms, p.metrics, readiness);
    p.adminRoutes = std::make_unique<http::AdminRoutes>(storage, adminToken, *p.apiRoutes,
                                                        [outbox] { outbox->wake(); });

    service::GatewaySettings gatewaySettings;
    gatewaySettings.maxRoomsPerInstance = static_cast<std::size_t>(server.maxRoomsPerInstance);
    gatewaySettings.allowedOrigins = server.allowedOrigins;
    gatewaySettings.messagesPerSecond = server.messagesPerSecond;
    gatewaySettings.messageBurst = server.messageBurst;
    gatewaySettings.rateLimitClose = std::chrono::seconds(server.rateLimitCloseSeconds);
    gatewaySettings.runOnTransportThreads =
        answersFromMemory(p.opened, config_.storage) && answersFromMemory(p.opened, config_.bus);
    p.gateway = std::make_unique<service::ClientGateway>(
        service::GatewayLinks{*p.rooms, *p.interest, *p.fanout, *p.sender, *p.lanes,
                              p.pendingDisconnects, *p.tokens, *p.adminRoutes},
        p.metrics, p.log, gatewaySettings);
    p.log->info("commands run {}",
                gatewaySettings.runOnTransportThreads
                    ? "on the transport's threads (storage and bus answer from memory)"
                    : "on " + std::to_string(server.workerThreads) + " worker lanes");
    return 0;
}

int Server::start() {
    Parts& p = *parts_;
    // Stops what started, in reverse order (not the one that failed: its start() cleans up
    // after itself).
    auto fail = [&p] {
        for (auto it = p.startedPlugins.rbegin(); it != p.startedPlugins.rend(); ++it) {
            p.log->info("stopping {}, started before the failure", it->first);
            it->second->stop();
        }
        return 1;
    };
    auto startPlugin = [&p](const std::string& what, fp::sdk::Plugin& plugin) {
        auto status = plugin.start();
        if (!status.ok()) {
            p.log->critical("{} failed to start: {}", what, status.message);
            return false;
        }
        p.startedPlugins.emplace_back(what, &plugin);
        return true;
    };
    if (!startPlugin("storage " + config_.storage.plugin, *p.plugins.storage) ||
        !startPlugin("bus " + config_.bus.plugin, *p.plugins.bus)) {
        return fail();
    }
    for (const auto& [name, sink] : p.plugins.sinks) {
        if (!startPlugin("sink " + name, *sink))
            return fail();
    }
    p.maintenance->heartbeatNow();
    p.maintenance->start();
    p.outbox->start();

    auto& transport = *p.plugins.transport;
    transport.setHost(p.gateway.get());
    transport.setListenAddress(config_.server.listen);
    transport.setWebRoot(config_.server.webRoot.empty() ? defaultWebRoot()
                                                        : config_.server.webRoot);
    if (!startPlugin("transport " + config_.transport.plugin, transport)) {
        // The threads that call storage and the sinks go first.
        p.maintenance->stop();
        p.outbox->flushAndStop(std::chrono::steady_clock::now());
        p.lanes->drainAndStop();
        p.plugins.bus->setListener(nullptr);
        return fail();
    }
    started_ = true;
    p.log->info("fire-poker {} instance {} listening on http://{} (storage {}, bus {}, {} sinks)",
                FP_VERSION, p.instanceId, transport.boundAddress(), config_.storage.plugin,
                config_.bus.plugin, p.plugins.sinks.size());
    if (!config_.telemetry.otlpEndpoint.empty()) {
        metrics::OtlpExporterSettings otlp;
        otlp.endpoint = config_.telemetry.otlpEndpoint;
        otlp.interval = std::chrono::seconds(config_.telemetry.exportIntervalSeconds);
        otlp.timeout = std::chrono::seconds(config_.telemetry.exportTimeoutSeconds);
        otlp.resource = {config_.telemetry.serviceName, FP_VERSION, p.instanceId};
        auto* registry = &p.metrics;
        p.otlp = std::make_unique<metrics::OtlpExporter>(
            otlp, [registry] { return registry->renderPrometheus(); }, p.log);
        p.otlp->start();
    }
    return 0;
}

void Server::stop() {
    if (!started_)
        return;
    started_ = false;
    Parts& p = *parts_;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(config_.server.shutdownTimeoutSeconds);
    const auto msLeft = [&deadline] {
        return static_cast<int>(
            std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count()));
    };
    auto& transport = *p.plugins.transport;
    p.apiRoutes->setDraining(true);
    transport.stopAccepting();
    p.maintenance->stop();
    // Everything already queued for a socket goes out before its 1001 close.
    transport.closeAll(fp::sdk::closecode::goingAway, "server shutting down", msLeft() / 2);
    p.lanes->drainAndStop();  // the closes mark participants offline
    p.outbox->flushAndStop(deadline);
    if (p.otlp)
        p.otlp->stop();  // one last export with the final counts
    transport.stop();
    p.plugins.bus->setListener(nullptr);
    for (auto& [name, sink] : p.plugins.sinks)
        sink->stop();
    p.plugins.bus->stop();
    p.plugins.storage->stop();
    p.log->info("shutdown complete");
    spdlog::default_logger()->flush();
}

int Server::run() {
    if (const int code = open(); code != 0)
        return code;
    if (const int code = start(); code != 0)
        return code;
    const int signal = waitForShutdownSignal();
    parts_->log->info("received {}: shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stop();
    return 0;
}

}  // namespace fp::app
