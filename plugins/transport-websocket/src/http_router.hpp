// Chooses the handler of each HTTP request: the WebSocket upgrade on /ws, the core's own
// routes, else the static web client.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <memory>

#include "http_services.hpp"

namespace fp::websocket {

inline constexpr const char* kWebSocketPath = "/ws";

class HttpRouter : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit HttpRouter(std::shared_ptr<const HttpServices> services)
        : services_(std::move(services)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;
    // Shuts down the socket of every HTTP connection being served, as HTTPServer::stopAll(true)
    // does (POCO's connections listen to the factory's serverStopped event).
    void abortOpenConnections();

  private:
    std::shared_ptr<const HttpServices> services_;
};

}  // namespace fp::websocket
