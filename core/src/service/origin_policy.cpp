#include "service/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace fp::service {
namespace {
std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return "";
    const auto end = text.find_last_not_of(" \t/");
    return text.substr(begin, end - begin + 1);
}

// "https://Example.com:8443" -> "example.com:8443"; "" when it is not an http(s) origin.
std::string originHost(const std::string& origin) {
    const std::string value = lower(origin);
    for (const char* scheme : {"http://", "https://"}) {
        const std::string prefix = scheme;
        if (value.rfind(prefix, 0) == 0) {
            std::string rest = value.substr(prefix.size());
            if (rest.empty() || rest.find('/') != std::string::npos)
                return "";
            return rest;
        }
    }
    return "";
}

// "example.com:443" and "example.com" name the same host for an https origin, and ":80" for
// http; browsers leave the default port out of Origin but clients may put it in Host.
bool sameHost(const std::string& origin, const std::string& host) {
    const std::string fromOrigin = originHost(origin);
    const std::string hostHeader = lower(host);
    if (fromOrigin.empty() || hostHeader.empty())
        return false;
    if (fromOrigin == hostHeader)
        return true;
    const bool https = lower(origin).rfind("https://", 0) == 0;
    const std::string defaultPort = https ? ":443" : ":80";
    return fromOrigin + defaultPort == hostHeader || hostHeader + defaultPort == fromOrigin;
}
}  // namespace

OriginPolicy::OriginPolicy(const std::string& allowed) {
    std::size_t start = 0;
    while (start <= allowed.size()) {
        auto end = allowed.find(',', start);
        if (end == std::string::npos)
            end = allowed.size();
        const std::string entry = trim(allowed.substr(start, end - start));
        if (entry == "*") {
            any_ = true;
        } else if (!entry.empty()) {
            origins_.push_back(lower(entry));
        }
        start = end + 1;
    }
}

bool OriginPolicy::allows(const std::string& origin, const std::string& host) const {
    if (origin.empty() || any_)
        return true;
    if (origins_.empty())
        return sameHost(origin, host);
    const std::string value = lower(origin);
    return std::find(origins_.begin(), origins_.end(), value) != origins_.end();
}

}  // namespace fp::service
