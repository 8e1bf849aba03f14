// Forwards a request for one of the core's routes (/healthz, /api/...) to the host.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>

#include "http_services.hpp"

namespace fp::websocket {

class CoreRouteHandler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit CoreRouteHandler(std::shared_ptr<const HttpServices> services)
        : services_(std::move(services)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    std::shared_ptr<const HttpServices> services_;
};

}  // namespace fp::websocket
