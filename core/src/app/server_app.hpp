// Wires the plugins and the core together, runs until SIGTERM or SIGINT, then drains.
#pragma once

#include <string>

#include "config/app_config.hpp"
#include "config/environment.hpp"

namespace fp::app {

// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread started after), so
// the server can wait for them with sigwait. Call first thing in main().
void blockShutdownSignals();

// Returns the process exit code: 0 after a graceful shutdown, 2 for a bad config or plugin,
// 1 when a plugin fails to start.
int runServer(config::AppConfig config, const config::Environment& env);

}  // namespace fp::app
