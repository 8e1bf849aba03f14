// Everything that makes the server refuse to start (exit code 2), checked in one function used
// both by start-up (server_app.cpp) and by `--check-config` (cli.cpp), so the two cannot
// drift: whatever start-up would refuse, --check-config reports, with the same message.
//
// In order: the config as loaded (file, JSON, keys, types, ranges, environment overrides);
// FP_RESUME_SECRET (unreadable _FILE, shorter than 16 characters); FP_ADMIN_TOKEN (unreadable
// _FILE, empty or shorter than 16 characters); every plugin (found, ABI and build signature,
// kind, options against its manifest, the plugin's own checkOptions); then, when all of that
// passed, every plugin's constructor (made, never started) and the combinations that cannot
// work (a storage that publishes on commit with bus-local).
//
// Not checked here because only starting can tell (start-up exits 1 on them): a port in use or
// a listen host that does not resolve, a storage or bus that cannot connect when its plugin
// refuses to start without it, a Notion schema that does not match the property mapping, a
// destination unreachable with requireAtStart. docs/operations.md lists them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/plugin_set.hpp"
#include "config/app_config.hpp"
#include "config/config_problem.hpp"
#include "config/environment.hpp"
#include "metrics/plugin_metrics.hpp"

namespace fp::app {

struct StartupCheck {
    config::ConfigProblems problems;        // empty: start-up may go on
    std::vector<std::string> warnings;      // worth saying, not fatal (FP_RESUME_SECRET unset)
    std::string resumeSecret;               // FP_RESUME_SECRET, or random bytes when it is unset
    std::optional<std::string> adminToken;  // FP_ADMIN_TOKEN; unset = admin routes off
    OpenedLibraries opened;
    PluginSet plugins;  // made, not started; complete only when `problems` is empty

    bool ok() const { return problems.empty(); }
};

// `config` as config::loadConfig made it, with `loadProblems` its problems (reported first;
// the checks that do not need a valid config still run, so every problem is listed at once).
// Plugin options are filled into `config`. `instanceId` and `metrics` go to the plugins made.
StartupCheck checkStartup(config::AppConfig& config, config::ConfigProblems loadProblems,
                          const config::Environment& env, const std::string& instanceId,
                          const std::shared_ptr<metrics::PluginMetricFamilies>& metrics);

}  // namespace fp::app
