#include "static_file_handler.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>

#include <fstream>

#include "http_responses.hpp"
#include "static_files.hpp"

namespace fp::websocket {

void StaticFileHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    const bool isHead = method == Poco::Net::HTTPRequest::HTTP_HEAD;
    if (method != Poco::Net::HTTPRequest::HTTP_GET && !isHead) {
        response.set("Allow", "GET, HEAD");
        sendPlainText(request, response, 405, "method not allowed");
        return;
    }
    std::string path;
    std::string query;
    if (!splitTarget(request.getURI(), path, query)) {
        sendPlainText(request, response, 400, "bad request target");
        return;
    }
    const auto file = resolveStaticFile(services_->webRoot, path);
    if (!file) {
        sendPlainText(request, response, 404, "not found");
        return;
    }

    const std::string tag = entityTagFor(*file);
    response.set("ETag", tag);
    response.set("Last-Modified",
                 Poco::DateTimeFormatter::format(
                     Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(file->mtimeSeconds)),
                     Poco::DateTimeFormat::HTTP_FORMAT));
    response.set("Cache-Control", cacheControlFor(file->path));
    response.set("X-Content-Type-Options", "nosniff");
    if (isNotModified(*file, request.get("If-None-Match", ""),
                      request.get("If-Modified-Since", ""))) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.send();
        return;
    }

    std::ifstream in(file->path, std::ios::binary);
    if (!in) {
        services_->logger->warn("cannot open static file " + file->path.string());
        sendPlainText(request, response, 404, "not found");
        return;
    }
    response.setContentType(contentTypeFor(file->path));
    response.setContentLength64(file->size);
    std::ostream& out = response.send();
    if (!isHead)
        Poco::StreamCopier::copyStream64(in, out);
}

}  // namespace fp::websocket
