// The signals that end the server: SIGTERM (orchestrators) and SIGINT (a terminal's Ctrl-C).
#pragma once

namespace fp::app {

// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread started after), so
// the server can wait for them with sigwait, and ignores SIGPIPE (a client that vanishes must
// not kill the process through a write). Call first thing in main().
void blockShutdownSignals();

// Waits for SIGTERM or SIGINT; returns which.
int waitForShutdownSignal();

}  // namespace fp::app
