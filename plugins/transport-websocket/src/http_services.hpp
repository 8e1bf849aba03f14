// What the HTTP request handlers need from the transport; shared by every handler.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "address_slots.hpp"
#include "firepoker/sdk/logger.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::websocket {

class AdmissionControl;

struct HttpServices {
    sdk::TransportHost* host = nullptr;
    std::shared_ptr<sdk::Logger> logger;
    std::string webRoot;
    // Core routes are GET/HEAD; a body is read on an HTTP thread, so it is kept small and must
    // arrive within requestTimeout as a whole (each read is also bounded by the socket timeout).
    std::size_t maxRequestBodyBytes = 64 * 1024;
    std::chrono::milliseconds requestTimeout{10000};
    const std::atomic<bool>* accepting = nullptr;  // false after stopAccepting()
    // Client addresses and connections per address (outlives every handler).
    AdmissionControl* admission = nullptr;
    // Hands an upgraded socket (a descriptor the callee now owns) to an event loop,
    // with the bytes the HTTP server had already read past the request and the connection's
    // slot of its client address (held until the socket closes).
    std::function<void(int fd, sdk::ConnectionInfo info, std::string initialBytes,
                       AddressSlot slot)>
        adoptSocket;
};

}  // namespace fp::websocket
