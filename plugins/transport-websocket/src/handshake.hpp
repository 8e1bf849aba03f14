// The server side of the RFC 6455 opening handshake, as pure functions of the request headers.
#pragma once

#include <string>
#include <string_view>

namespace fp::websocket {

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + RFC 6455 GUID)).
std::string computeAcceptKey(std::string_view secWebSocketKey);

struct UpgradeRequestHeaders {
    std::string method;
    std::string upgrade;     // Upgrade
    std::string connection;  // Connection
    std::string version;     // Sec-WebSocket-Version
    std::string key;         // Sec-WebSocket-Key
};

struct HandshakeVerdict {
    bool ok = false;
    int status = 400;     // HTTP status to answer with when !ok
    std::string message;  // why, for the response body and the log
};

// Checks method, Upgrade, Connection, version 13 and the key's shape (base64 of 16 bytes).
HandshakeVerdict checkUpgradeRequest(const UpgradeRequestHeaders& headers);

// Whether a comma-separated header value holds `token` (case-insensitive), as in
// "Connection: keep-alive, Upgrade".
bool headerHasToken(std::string_view value, std::string_view token);

}  // namespace fp::websocket
