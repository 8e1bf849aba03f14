#include "handshake.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <cctype>
#include <sstream>

namespace fp::websocket {
namespace {

constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// 16 random bytes in base64 are exactly 24 characters, the last two being "==".
bool isWellFormedKey(std::string_view key) {
    if (key.size() != 24 || key.substr(22) != "==")
        return false;
    for (std::size_t i = 0; i < 22; ++i) {
        const auto c = static_cast<unsigned char>(key[i]);
        if (!std::isalnum(c) && c != '+' && c != '/')
            return false;
    }
    return true;
}

}  // namespace

std::string computeAcceptKey(std::string_view secWebSocketKey) {
    Poco::SHA1Engine sha1;
    sha1.update(std::string(trim(secWebSocketKey)) + std::string(kWebSocketGuid));
    const Poco::DigestEngine::Digest& digest = sha1.digest();
    std::ostringstream out;
    Poco::Base64Encoder base64(out);
    base64.write(reinterpret_cast<const char*>(digest.data()),
                 static_cast<std::streamsize>(digest.size()));
    base64.close();
    return out.str();
}

bool headerHasToken(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (equalsIgnoreCase(trim(value.substr(0, comma)), token))
            return true;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

HandshakeVerdict checkUpgradeRequest(const UpgradeRequestHeaders& headers) {
    if (headers.method != "GET")
        return {false, 405, "the WebSocket upgrade needs GET"};
    if (!equalsIgnoreCase(trim(headers.upgrade), "websocket") ||
        !headerHasToken(headers.connection, "upgrade")) {
        return {false, 426, "this path only serves WebSocket upgrades"};
    }
    if (trim(headers.version) != "13") {
        return {false, 426, "unsupported Sec-WebSocket-Version (need 13)"};
    }
    if (!isWellFormedKey(trim(headers.key))) {
        return {false, 400, "missing or malformed Sec-WebSocket-Key"};
    }
    return {true, 101, {}};
}

}  // namespace fp::websocket
