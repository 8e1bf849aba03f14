#include "redis_url.hpp"

#include <cctype>
#include <stdexcept>

namespace fp::plugins::redis {
namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// %XX escapes, as in any URL's user information.
std::string percentDecode(const std::string& text, const char* what) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0)
            throw std::invalid_argument(std::string("redis url: bad %-escape in the ") + what);
        out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
        i += 2;
    }
    return out;
}

int parseNumber(const std::string& text, long maximum, const std::string& what) {
    if (text.empty() || text.size() > 9)
        throw std::invalid_argument("redis url: " + what + " '" + text + "' is not a number");
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            throw std::invalid_argument("redis url: " + what + " '" + text + "' is not a number");
    }
    const long value = std::stol(text);
    if (value > maximum)
        throw std::invalid_argument("redis url: " + what + " " + text + " is out of range");
    return static_cast<int>(value);
}
}  // namespace

std::string RedisAddress::describe() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + std::to_string(db);
}

RedisAddress parseRedisUrl(const std::string& url) {
    RedisAddress address;
    std::string rest;
    if (url.rfind("redis://", 0) == 0) {
        rest = url.substr(8);
    } else if (url.rfind("rediss://", 0) == 0) {
        rest = url.substr(9);
        address.tls = true;
    } else {
        throw std::invalid_argument("redis url must start with redis:// (or rediss:// for TLS)");
    }
    if (rest.find('?') != std::string::npos || rest.find('#') != std::string::npos)
        throw std::invalid_argument(
            "redis url: query parameters are not supported (TLS settings are the tls* options)");
    const auto at = rest.rfind('@');
    if (at != std::string::npos) {
        const std::string userInfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = userInfo.find(':');
        if (colon == std::string::npos) {
            // redis://secret@host is how several clients write a password alone.
            address.password = percentDecode(userInfo, "password");
        } else {
            address.username = percentDecode(userInfo.substr(0, colon), "user name");
            address.password = percentDecode(userInfo.substr(colon + 1), "password");
        }
    }

    std::string hostPort = rest;
    const auto slash = rest.find('/');
    if (slash != std::string::npos) {
        hostPort = rest.substr(0, slash);
        const std::string db = rest.substr(slash + 1);
        if (!db.empty())
            address.db = parseNumber(db, 1000000, "database");
    }
    std::string portText;
    if (!hostPort.empty() && hostPort.front() == '[') {
        const auto close = hostPort.find(']');
        if (close == std::string::npos)
            throw std::invalid_argument("redis url: unclosed [ in the host");
        address.host = hostPort.substr(1, close - 1);
        const std::string after = hostPort.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                throw std::invalid_argument("redis url: unexpected text after the host");
            portText = after.substr(1);
        }
    } else {
        const auto colon = hostPort.rfind(':');
        address.host = hostPort.substr(0, colon);
        if (colon != std::string::npos)
            portText = hostPort.substr(colon + 1);
    }
    if (address.host.empty())
        throw std::invalid_argument("redis url: the host is missing");
    if (!portText.empty()) {
        address.port = parseNumber(portText, 65535, "port");
        if (address.port == 0)
            throw std::invalid_argument("redis url: port 0 is not a server port");
    }
    return address;
}

}  // namespace fp::plugins::redis
