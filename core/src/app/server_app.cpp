#include "app/server_app.hpp"

#include <Poco/Environment.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "app/plugin_set.hpp"
#include "app/startup_checks.hpp"
#include "delivery/outbox_worker.hpp"
#include "delivery/result_log.hpp"
#include "http/admin_routes.hpp"
#include "http/api_routes.hpp"
#include "logging/log_setup.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/otlp_exporter.hpp"
#include "plugins/plugin_catalog.hpp"
#include "service/client_gateway.hpp"
#include "service/history_restore.hpp"
#include "service/keyed_worker_pool.hpp"
#include "service/resume_tokens.hpp"
#include "service/room_fanout.hpp"
#include "service/room_maintenance.hpp"
#include "service/room_service.hpp"
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

int waitForShutdownSignal() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
    return signal;
}
}  // namespace

void blockShutdownSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that vanishes must not kill the process through a write.
    ::signal(SIGPIPE, SIG_IGN);
}

int runServer(config::AppConfig config, const config::Environment& env) {
    logging::configureLogging(logging::resolveFormat(config.log.format), config.log.level);
    auto log = logging::coreLogger();

    const std::string instanceId =
        config.server.instanceId.empty() ? makeInstanceId() : config.server.instanceId;

    // Before the plugins: they register their own metrics while they are made.
    metrics::MetricsRegistry metrics;
    // [startup checks, issue 15] Everything that refuses a start (exit code 2), by the same
    // function as --check-config (app/startup_checks.hpp); the plugins come back made.
    StartupCheck checked = checkStartup(config, {}, env, instanceId, metrics.pluginMetrics());
    for (const auto& warning : checked.warnings)
        log->warn("{}", warning);
    if (!checked.ok()) {
        for (const auto& problem : checked.problems)
            log->critical("config: {}", problem.describe());
        return 2;
    }
    PluginSet& plugins = checked.plugins;
    const std::string& secret = checked.resumeSecret;
    // [result log, issue 15] Each committed result and each change of its delivery state, one
    // JSON line each, on stdout (logging::resultLogger()).
    const delivery::ResultLog resultLog(logging::resultLogger());

    service::KeyedWorkerPool workers(static_cast<std::size_t>(config.server.workerThreads));
    service::RoomFanout fanout(*plugins.transport, *plugins.bus, metrics, log);
    plugins.bus->setListener(&fanout);

    service::RoomServiceSettings roomSettings;
    roomSettings.instanceId = instanceId;
    roomSettings.maxParticipantsPerRoom = config.server.maxParticipantsPerRoom;
    roomSettings.graceMs = static_cast<std::int64_t>(config.server.graceSeconds) * 1000;
    roomSettings.roomTtl = std::chrono::seconds(config.server.roomTtlSeconds);
    for (const auto& sink : plugins.sinks)
        roomSettings.sinkNames.push_back(sink.first);
    service::RoomService rooms(*plugins.storage, *plugins.bus, fanout, metrics, roomSettings, log,
                               resultLog);
    rooms.setHistoryRestorer([&plugins, log](const std::string& roomId) {
        return service::readHistoryFromSinks(roomId, plugins.sinks, *log);
    });

    service::MaintenanceSettings maintenanceSettings;
    maintenanceSettings.instanceId = instanceId;
    maintenanceSettings.heartbeatInterval = std::chrono::seconds(config.server.heartbeatSeconds);
    maintenanceSettings.instanceTtl = std::chrono::seconds(config.server.instanceTtlSeconds);
    maintenanceSettings.sweepInterval = std::chrono::seconds(config.server.sweepIntervalSeconds);
    service::RoomMaintenance maintenance(rooms, fanout, workers, *plugins.storage,
                                         maintenanceSettings, log);
    rooms.setDueNotifier([&maintenance](const std::string& roomId, std::int64_t due) {
        maintenance.scheduleSweep(roomId, due);
    });
    fanout.setResyncHandler([&rooms, &fanout, &workers](const std::string& roomId) {
        workers.post(std::hash<std::string>{}(roomId), [&rooms, &fanout, roomId] {
            std::string code;
            if (auto room = rooms.read(roomId, code)) {
                room::Command cause;
                cause.type = "resync";
                fanout.onRoomState(roomId, room->version, rooms.renderState(*room, cause));
            } else if (code == "not_found") {
                fanout.closeLostRoom(roomId);
            } else if (code == "unavailable") {
                fanout.retryResyncLater(roomId);
            }
        });
    });

    service::ResumeTokenAuthority tokens(secret);
    delivery::OutboxWorker outbox(*plugins.storage, config.delivery, metrics, log, instanceId,
                                  resultLog);
    for (const auto& [name, sink] : plugins.sinks) {
        outbox.addSink(name, sink);
        for (const char* outcome : {"delivered", "retried", "failed", "paused"})
            metrics.declareDelivery(name, outcome);
    }
    metrics.setGaugeFamily("fp_sink_paused", "1 while a sink is paused (see /readyz for why)",
                           "sink", [&outbox] {
                               std::map<std::string, double> values;
                               for (const auto& [name, paused] : outbox.pausedSinks())
                                   values[name] = paused ? 1.0 : 0.0;
                               return values;
                           });

    metrics.setGauge("fp_outbox_depth", "results waiting for delivery to sinks", [&plugins] {
        return static_cast<double>(plugins.storage->outboxStats().pending);
    });
    metrics.setGauge("fp_outbox_failed", "results kept as failed for an operator", [&plugins] {
        return static_cast<double>(plugins.storage->outboxStats().failed);
    });
    metrics.setGauge("fp_outbox_oldest_age_seconds", "age of the oldest undelivered result",
                     [&plugins] {
                         auto oldest = plugins.storage->outboxStats().oldestPendingCreatedAtMs;
                         return oldest == 0 ? 0.0 : (util::nowUnixMs() - oldest) / 1000.0;
                     });

    auto readiness = [&plugins, &outbox]() {
        std::vector<std::string> reasons;
        auto check = [&reasons](const std::string& name, const fp::sdk::Plugin& plugin) {
            auto state = plugin.readiness();
            if (!state.ready)
                reasons.push_back(name + ": " + state.reason);
        };
        check("storage", *plugins.storage);
        check("bus", *plugins.bus);
        check("transport", *plugins.transport);
        for (const auto& [name, sink] : plugins.sinks)
            check("sink " + name, *sink);
        for (auto& reason : outbox.pausedReasons())
            reasons.push_back(std::move(reason));
        return reasons;
    };
    http::ApiRoutes routes(rooms, metrics, readiness);
    service::GatewaySettings gatewaySettings;
    gatewaySettings.instanceId = instanceId;
    gatewaySettings.maxRoomsPerInstance =
        static_cast<std::size_t>(config.server.maxRoomsPerInstance);
    gatewaySettings.allowedOrigins = config.server.allowedOrigins;
    gatewaySettings.messagesPerSecond = config.server.messagesPerSecond;
    gatewaySettings.messageBurst = config.server.messageBurst;
    gatewaySettings.rateLimitClose = std::chrono::seconds(config.server.rateLimitCloseSeconds);
    service::ClientGateway gateway(rooms, fanout, workers, tokens, metrics, log, gatewaySettings);
    maintenance.setPeriodicTask([&gateway] { gateway.retryPendingDisconnects(); });
    // Declared after the gateway, so destroyed before it on every return: the maintenance
    // thread's periodic task uses the gateway. (stop() is idempotent.)
    struct MaintenanceStopper {
        service::RoomMaintenance& maintenance;
        ~MaintenanceStopper() { maintenance.stop(); }
    } stopMaintenanceBeforeGateway{maintenance};
    metrics.setGauge("fp_pending_disconnects",
                     "disconnects storage refused, waiting to be retried (participants shown "
                     "online meanwhile)",
                     [&gateway] { return static_cast<double>(gateway.pendingDisconnectCount()); });
    http::AdminRoutes adminRoutes(*plugins.storage, checked.adminToken, routes,
                                  [&outbox] { outbox.wake(); });
    gateway.setHttpRouter(&adminRoutes);

    // Start in dependency order: storage, bus, sinks, then the transport last, so no client
    // arrives before everything it needs is up. When one fails, the ones already started are
    // stopped in reverse order (not the one that failed: its start() cleans up after itself).
    std::vector<std::pair<std::string, fp::sdk::Plugin*>> started;
    auto startOrFail = [&log, &started](const std::string& what, fp::sdk::Plugin& plugin) {
        auto status = plugin.start();
        if (!status.ok()) {
            log->critical("{} failed to start: {}", what, status.message);
            return false;
        }
        started.emplace_back(what, &plugin);
        return true;
    };
    auto stopStarted = [&log, &started] {
        for (auto it = started.rbegin(); it != started.rend(); ++it) {
            log->info("stopping {}, started before the failure", it->first);
            it->second->stop();
        }
        return 1;
    };
    if (!startOrFail("storage " + config.storage.plugin, *plugins.storage))
        return stopStarted();
    if (!startOrFail("bus " + config.bus.plugin, *plugins.bus))
        return stopStarted();
    for (const auto& [name, sink] : plugins.sinks) {
        if (!startOrFail("sink " + name, *sink))
            return stopStarted();
    }
    maintenance.heartbeatNow();
    maintenance.start();
    outbox.start();

    plugins.transport->setHost(&gateway);
    plugins.transport->setListenAddress(config.server.listen);
    plugins.transport->setWebRoot(config.server.webRoot.empty() ? defaultWebRoot()
                                                                : config.server.webRoot);
    if (!startOrFail("transport " + config.transport.plugin, *plugins.transport)) {
        // The threads that call storage and the sinks go first.
        maintenance.stop();
        outbox.flushAndStop(std::chrono::steady_clock::now());
        plugins.bus->setListener(nullptr);
        return stopStarted();
    }
    log->info("fire-poker {} instance {} listening on http://{} (storage {}, bus {}, {} sinks)",
              FP_VERSION, instanceId, plugins.transport->boundAddress(), config.storage.plugin,
              config.bus.plugin, plugins.sinks.size());
    std::unique_ptr<metrics::OtlpExporter> otlp;
    if (!config.telemetry.otlpEndpoint.empty()) {
        metrics::OtlpExporterSettings otlpSettings;
        otlpSettings.endpoint = config.telemetry.otlpEndpoint;
        otlpSettings.interval = std::chrono::seconds(config.telemetry.exportIntervalSeconds);
        otlpSettings.timeout = std::chrono::seconds(config.telemetry.exportTimeoutSeconds);
        otlpSettings.resource = {config.telemetry.serviceName, FP_VERSION, instanceId};
        otlp = std::make_unique<metrics::OtlpExporter>(
            otlpSettings, [&metrics] { return metrics.renderPrometheus(); }, log);
        otlp->start();
    }

    const int signal = waitForShutdownSignal();
    log->info("received {}: shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(config.server.shutdownTimeoutSeconds);
    const auto msLeft = [&deadline] {
        return static_cast<int>(
            std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count()));
    };

    routes.setDraining(true);
    plugins.transport->stopAccepting();
    maintenance.stop();
    // Everything already queued for a socket goes out before its 1001 close.
    plugins.transport->closeAll(fp::sdk::closecode::goingAway, "server shutting down",
                                msLeft() / 2);
    workers.drainAndStop();
    outbox.flushAndStop(deadline);
    if (otlp)
        otlp->stop();  // one last export with the final counts
    plugins.transport->stop();
    plugins.bus->setListener(nullptr);
    for (auto& [name, sink] : plugins.sinks)
        sink->stop();
    plugins.bus->stop();
    plugins.storage->stop();
    log->info("shutdown complete");
    spdlog::default_logger()->flush();
    return 0;
}

}  // namespace fp::app
