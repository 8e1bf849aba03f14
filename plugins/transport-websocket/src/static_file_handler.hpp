// Serves the web client from the web root: GET and HEAD, validators, 304, cache policy.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>

#include "http_services.hpp"

namespace fp::websocket {

class StaticFileHandler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit StaticFileHandler(std::shared_ptr<const HttpServices> services)
        : services_(std::move(services)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    std::shared_ptr<const HttpServices> services_;
};

}  // namespace fp::websocket
