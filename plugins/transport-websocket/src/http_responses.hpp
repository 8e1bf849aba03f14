// Small helpers for answering HTTP requests with POCO.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <string_view>

namespace fp::websocket {

// A complete response with a plain-text body (no body for HEAD).
void sendPlainText(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   int status, std::string_view body);

// The request target split in two: the percent-decoded path and the raw query (no '?').
// Returns false for a target that cannot be decoded.
bool splitTarget(const std::string& target, std::string& path, std::string& query);

}  // namespace fp::websocket
