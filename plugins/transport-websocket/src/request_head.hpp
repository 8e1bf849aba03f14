// The few fields the pre-accept stage reads from a complete, still unparsed request head (POCO
// parses it properly later): the request path and the X-Forwarded-For headers. Tolerant like
// POCO: CRLF or bare LF, blank lines before the request line, any header-name case.
#pragma once

#include <string>
#include <string_view>

namespace fp::websocket {

struct RequestHeadSummary {
    std::string method;
    std::string path;          // the request target up to '?'
    std::string forwardedFor;  // every X-Forwarded-For value, joined with ", " in order
};

RequestHeadSummary summarizeRequestHead(std::string_view head);

}  // namespace fp::websocket
