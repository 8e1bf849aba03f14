// The fire-poker command line.
#pragma once

#include <string>
#include <vector>

#include "app/replay_results.hpp"

namespace fp::app {

struct CommandLine {
    enum class Action {
        run,
        checkConfig,
        listPlugins,
        listSettings,
        healthcheck,
        printConfig,
        replayResults,
        help,
        version
    };
    Action action = Action::run;
    std::string configFile;
    std::string listen;    // overrides server.listen
    std::string url;       // --healthcheck
    ReplayCommand replay;  // replay-results
    std::string error;     // non-empty: bad usage
};

CommandLine parseCommandLine(const std::vector<std::string>& args);
std::string usageText();

// Each returns the process exit code.
int runCli(const CommandLine& command);
int checkConfig(const std::string& file);
int listPlugins();
int listSettings();
int healthcheck(const std::string& url);
int printConfig(const std::string& file);

}  // namespace fp::app
