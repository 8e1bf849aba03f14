#include "http_responses.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace fp::websocket {

void sendPlainText(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   int status, std::string_view body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("text/plain; charset=utf-8");
    response.set("X-Content-Type-Options", "nosniff");
    std::string text(body);
    text += '\n';
    response.setContentLength64(static_cast<Poco::UInt64>(text.size()));
    std::ostream& out = response.send();
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD)
        out << text;
}

bool splitTarget(const std::string& target, std::string& path, std::string& query) {
    const auto mark = target.find('?');
    const std::string rawPath = target.substr(0, mark);
    query = mark == std::string::npos ? std::string() : target.substr(mark + 1);
    // Only origin-form targets ("/..."); absolute-form and "*" are not served here.
    if (rawPath.empty() || rawPath.front() != '/')
        return false;
    try {
        path.clear();
        Poco::URI::decode(rawPath, path);
    } catch (const Poco::Exception&) {
        return false;
    }
    return path.find('\0') == std::string::npos;
}

}  // namespace fp::websocket
