// The base every plugin object derives from, and what the core gives it at creation.
#pragma once

#include <memory>
#include <string>

#include "firepoker/sdk/logger.hpp"
#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/metrics.hpp"
#include "firepoker/sdk/options.hpp"
#include "firepoker/sdk/status.hpp"

namespace fp::sdk {

// Given to a plugin's constructor. The plugin may keep copies of every member; the logger and
// the metrics handle stay valid for as long as the plugin keeps its shared_ptr.
struct PluginContext {
    std::string instanceName;      // the config's name for this instance, e.g. "results-file"
    std::string serverInstanceId;  // unique per running server process
    std::string configDirectory;   // relative paths in options resolve against it
    PluginOptions options;
    std::shared_ptr<Logger> logger;
    std::shared_ptr<Metrics> metrics;  // never null; see metrics.hpp (added in ABI 2)
};

// Lifecycle: constructed (options already validated) -> start() -> ... -> stop() -> destroyed.
// The core calls start() and stop() once each, from the main thread. A plugin must not throw
// out of any member function; report failures through Status.
class Plugin {
  public:
    virtual ~Plugin() = default;
    virtual PluginKind kind() const = 0;
    virtual Status start() { return Status::success(); }
    virtual void stop() {}
    // Cheap and thread-safe: called by /readyz.
    virtual Readiness readiness() const { return {}; }
};

}  // namespace fp::sdk
