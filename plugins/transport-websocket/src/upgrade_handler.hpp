// GET /ws: checks the handshake, asks the host, answers 101 and hands the socket over to an
// event loop, so the HTTP thread is free again as soon as the handshake is done.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>

#include "http_services.hpp"

namespace fp::websocket {

class UpgradeHandler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit UpgradeHandler(std::shared_ptr<const HttpServices> services)
        : services_(std::move(services)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

  private:
    std::shared_ptr<const HttpServices> services_;
};

}  // namespace fp::websocket
