// The server: plugins and core wired once, with explicit phases.
//
//   open()   every start-up check (the config, secrets, plugins found, checked and created:
//            app/startup_checks.hpp, the same as --check-config); the core built around the
//            plugins, in the order a command travels (gateway -> room service -> storage ->
//            bus -> fan-out -> transport). Nothing runs yet. 2 for a bad config or plugin.
//   start()  storage, bus, sinks, background work, then the transport last, so no client
//            arrives before what it needs is up; a failure stops what started. 1 on failure.
//   stop()   /readyz 503, no new connections, every socket flushed and closed with 1001, the
//            lanes drained, the outbox delivered until server.shutdownTimeoutSeconds, plugins
//            stopped in reverse order.
//   run()    all three around the wait for SIGTERM or SIGINT; returns the exit code.
#pragma once

#include <memory>

#include "config/app_config.hpp"
#include "config/config_problem.hpp"
#include "config/environment.hpp"

namespace fp::app {

class Server {
  public:
    // `loadProblems`: what loading the config file found; open() reports them with every
    // other start-up problem (app/startup_checks.hpp) and refuses to start.
    Server(config::AppConfig config, config::Environment env,
           config::ConfigProblems loadProblems = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int open();
    int start();
    void stop();
    int run();

  private:
    struct Parts;
    config::AppConfig config_;
    config::Environment env_;
    config::ConfigProblems loadProblems_;
    std::unique_ptr<Parts> parts_;
    bool started_ = false;
};

}  // namespace fp::app
