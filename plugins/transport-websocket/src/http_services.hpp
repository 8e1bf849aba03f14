// What the HTTP request handlers need from the transport; shared by every handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "firepoker/sdk/logger.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::websocket {

struct HttpServices {
    sdk::TransportHost* host = nullptr;
    std::shared_ptr<sdk::Logger> logger;
    std::string webRoot;
    std::size_t maxRequestBodyBytes = 1024 * 1024;
    const std::atomic<bool>* accepting = nullptr;  // false after stopAccepting()
    // Hands an upgraded socket (a descriptor the callee now owns) to an event loop,
    // with the bytes the HTTP server had already read past the request.
    std::function<void(int fd, sdk::ConnectionInfo info, std::string initialBytes)> adoptSocket;
};

}  // namespace fp::websocket
