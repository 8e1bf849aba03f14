#include "http_router.hpp"

#include <Poco/Net/HTTPServerRequest.h>

#include "core_route_handler.hpp"
#include "http_responses.hpp"
#include "static_file_handler.hpp"
#include "upgrade_handler.hpp"

namespace fp::websocket {
namespace {

class PlainAnswerHandler : public Poco::Net::HTTPRequestHandler {
  public:
    PlainAnswerHandler(int status, std::string text) : status_(status), text_(std::move(text)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        response.setKeepAlive(false);
        sendPlainText(request, response, status_, text_);
    }

  private:
    int status_;
    std::string text_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* HttpRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    if (!services_->accepting->load()) {
        return new PlainAnswerHandler(503, "server is shutting down");
    }
    std::string path;
    std::string query;
    if (!splitTarget(request.getURI(), path, query)) {
        return new PlainAnswerHandler(400, "bad request target");
    }
    if (path == kWebSocketPath)
        return new UpgradeHandler(services_);
    if (services_->host->isCoreRoute(path))
        return new CoreRouteHandler(services_);
    return new StaticFileHandler(services_);
}

void HttpRouter::abortOpenConnections() {
    const bool abortCurrent = true;
    serverStopped(this, abortCurrent);
}

}  // namespace fp::websocket
