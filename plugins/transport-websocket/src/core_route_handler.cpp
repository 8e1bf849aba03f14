#include "core_route_handler.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <istream>
#include <string>

#include "http_responses.hpp"

namespace fp::websocket {
namespace {

std::string toLower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

enum class BodyResult { complete, tooLarge, tooSlow };

// Reads the body, at most `limit` bytes, all of it before `deadline`. Reads through the stream
// buffer so that no single call waits for more than one socket read (bounded by the timeout of
// the socket): a client dripping its body cannot hold the HTTP thread past the deadline.
BodyResult readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit,
                    std::chrono::steady_clock::time_point deadline, std::string& body) {
    // A request with neither Content-Length nor chunked encoding has no body (RFC 9112 6.3):
    // read nothing, rather than wait for an end of stream that a client keeping its end open
    // never sends (`curl -X POST URL` did wait for the request timeout).
    if (!request.hasContentLength() && !request.getChunkedTransferEncoding())
        return BodyResult::complete;
    if (request.hasContentLength() && request.getContentLength64() > 0 &&
        static_cast<std::uint64_t>(request.getContentLength64()) > limit) {
        return BodyResult::tooLarge;
    }
    std::streambuf* in = request.stream().rdbuf();
    char chunk[8192];
    try {
        for (;;) {
            if (std::chrono::steady_clock::now() > deadline)
                return BodyResult::tooSlow;
            const std::streamsize buffered = in->in_avail();
            if (buffered > 0) {
                const auto n =
                    in->sgetn(chunk, std::min<std::streamsize>(
                                         buffered, static_cast<std::streamsize>(sizeof chunk)));
                body.append(chunk, static_cast<std::size_t>(n));
            } else {
                const auto c = in->sbumpc();  // one socket read at most
                if (std::char_traits<char>::eq_int_type(c, std::char_traits<char>::eof()))
                    return BodyResult::complete;
                body.push_back(std::char_traits<char>::to_char_type(c));
            }
            if (body.size() > limit)
                return BodyResult::tooLarge;
        }
    } catch (const Poco::Exception&) {
        return BodyResult::tooSlow;  // the socket timed out or failed
    }
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
    for (const auto& [name, value] : request)
        forwarded.headers[toLower(name)] = value;
    forwarded.remoteAddress = request.clientAddress().toString();
    const BodyResult body =
        readBody(request, services_->maxRequestBodyBytes,
                 std::chrono::steady_clock::now() + services_->requestTimeout, forwarded.body);
    if (body != BodyResult::complete) {
        response.setKeepAlive(false);  // the rest of the body is still on the wire
        if (body == BodyResult::tooLarge)
            sendPlainText(request, response, 413, "request body too large");
        else
            sendPlainText(request, response, 408, "request body too slow");
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
    if (!answer.contentType.empty())
        response.setContentType(answer.contentType);
    for (const auto& [name, value] : answer.headers)
        response.set(name, value);
    response.setContentLength64(static_cast<Poco::UInt64>(answer.body.size()));
    std::ostream& out = response.send();
    if (forwarded.method != Poco::Net::HTTPRequest::HTTP_HEAD) {
        out.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    }
}

}  // namespace fp::websocket
