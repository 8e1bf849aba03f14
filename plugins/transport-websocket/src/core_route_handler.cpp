#include "core_route_handler.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <istream>

#include "http_responses.hpp"

namespace fp::websocket {
namespace {

std::string toLower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Reads the body, at most `limit` bytes. Returns false if there is more.
bool readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit, std::string& body) {
    if (request.hasContentLength() && request.getContentLength64() > 0 &&
        static_cast<std::uint64_t>(request.getContentLength64()) > limit) {
        return false;
    }
    std::istream& in = request.stream();
    char chunk[8192];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        body.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) return false;
    }
    return true;
}

}  // namespace

void CoreRouteHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                     Poco::Net::HTTPServerResponse& response) {
    sdk::HttpRequest forwarded;
    forwarded.method = request.getMethod();
    if (!splitTarget(request.getURI(), forwarded.path, forwarded.query)) {
        sendPlainText(request, response, 400, "bad request target");
        return;
    }
    for (const auto& [name, value] : request) forwarded.headers[toLower(name)] = value;
    forwarded.remoteAddress = request.clientAddress().toString();
    if (!readBody(request, services_->maxRequestBodyBytes, forwarded.body)) {
        response.setKeepAlive(false);  // the rest of the body is still on the wire
        sendPlainText(request, response, 413, "request body too large");
        return;
    }

    sdk::HttpResponse answer;
    try {
        answer = services_->host->handleHttp(forwarded);
    } catch (const std::exception& e) {
        services_->logger->error("core route " + forwarded.method + " " + forwarded.path +
                                 " threw: " + e.what());
        sendPlainText(request, response, 500, "internal error");
        return;
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (!answer.contentType.empty()) response.setContentType(answer.contentType);
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.setContentLength64(static_cast<Poco::UInt64>(answer.body.size()));
    std::ostream& out = response.send();
    if (forwarded.method != Poco::Net::HTTPRequest::HTTP_HEAD) {
        out.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    }
}

}  // namespace fp::websocket
