// Guards around plugin objects: the core only ever calls a plugin through one of these, so no
// exception a plugin throws crosses into the core. A throw becomes what the interface already
// has for failures, with the plugin instance and the call named:
//   storage and bus calls     -> Status unavailable (load, commit... answer `unavailable`)
//   sink deliver              -> DeliveryOutcome::paused (the sink pauses, others go on)
//   sink readHistory          -> Status unavailable
//   start                     -> Status internal (the server refuses to start, exit code 1)
//   readiness                 -> not ready, with the reason (/readyz)
//   stop, send, close...      -> logged, the core carries on
// The other direction is guarded too: a listener or transport host the core hands to a plugin
// never lets a core exception escape into the plugin's threads.
// A guard holds the plugin object, which holds its library loaded.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::plugins {

// `label` names the plugin in every report, e.g. "storage (plugin storage-redis)" or
// "sink results-file (plugin sink-jsonl)".
std::shared_ptr<fp::sdk::Storage> guardStorage(std::shared_ptr<fp::sdk::Storage> inner,
                                               std::string label,
                                               std::shared_ptr<spdlog::logger> logger);
std::shared_ptr<fp::sdk::Bus> guardBus(std::shared_ptr<fp::sdk::Bus> inner, std::string label,
                                       std::shared_ptr<spdlog::logger> logger);
std::shared_ptr<fp::sdk::Sink> guardSink(std::shared_ptr<fp::sdk::Sink> inner, std::string label,
                                         std::shared_ptr<spdlog::logger> logger);
std::shared_ptr<fp::sdk::Transport> guardTransport(std::shared_ptr<fp::sdk::Transport> inner,
                                                   std::string label,
                                                   std::shared_ptr<spdlog::logger> logger);

}  // namespace fp::plugins
