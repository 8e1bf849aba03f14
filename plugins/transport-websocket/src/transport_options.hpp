// The transport's options: declared once here for the manifest and read from the
// PluginContext with the same names and defaults.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::websocket {

struct TransportOptions {
    std::size_t maxMessageBytes = 16384;   // largest client message; one byte more -> 1009
    std::size_t maxQueuedBytes = 1048576;  // per-connection send queue before it is closed
    int pingIntervalSeconds = 30;
    int idleTimeoutSeconds = 75;
    int ioThreads = 1;                   // epoll loops for upgraded connections
    int maxHttpThreads = 16;             // POCO HTTPServer pool (HTTP and handshakes only)
    int handshakeTimeoutSeconds = 10;    // connect -> complete request head; HTTP read/write
    int backlog = 4096;                  // listen() backlog
    int maxPendingHandshakes = 4096;     // connections waiting for their request head
    int maxConnectionsPerAddress = 256;  // WebSocket connections per client address; 0 = no limit
    std::string trustedProxies;          // CIDR blocks whose X-Forwarded-For is believed
};

// The option declarations of the manifest (types, defaults, ranges, descriptions).
std::vector<sdk::OptionSpec> transportOptionSpecs();

// Reads the options; a missing one takes its default (the core normally fills them).
// Throws std::invalid_argument naming the option when a value is out of range.
TransportOptions readTransportOptions(const sdk::PluginOptions& options);

}  // namespace fp::websocket
