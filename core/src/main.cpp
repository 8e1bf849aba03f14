#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/process_signals.hpp"

int main(int argc, char** argv) {
    // Before any thread starts, so every thread inherits the mask and sigwait sees the signals.
    fp::app::blockShutdownSignals();
    std::vector<std::string> args(argv + 1, argv + argc);
    return fp::app::runCli(fp::app::parseCommandLine(args));
}
