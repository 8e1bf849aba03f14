// `fire-poker replay-results [--config FILE] [--dry-run] FILE...`: reads the result log out of
// captured logs (delivery/result_log_reader.hpp) and delivers every result that has no
// result.delivered line for a sink it was committed for, through the sinks of FILE (loaded as
// the server loads them), idempotently. Prints what it found, delivered, skipped and why, and
// what failed. Exit code: 0 when everything that needed delivering was delivered (with
// --dry-run: when nothing needs delivering), 1 when anything failed, could not be read or
// lacks its record (with --dry-run: or would be delivered), 2 for a bad config or an
// unreadable FILE, 64 for bad usage.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace fp::app {

struct ReplayCommand {
    std::string configFile;  // "" = built-in defaults (which have no sink)
    bool dryRun = false;
    std::vector<std::string> files;  // "-" = standard input
};

int replayResults(const ReplayCommand& command, std::ostream& out, std::ostream& err);

}  // namespace fp::app
