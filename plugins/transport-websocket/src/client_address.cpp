#include "client_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace fp::websocket {
namespace {

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool allDigits(std::string_view text) {
    if (text.empty() || text.size() > 5)
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

std::optional<IpAddress> parseBare(std::string_view text) {
    // inet_pton reads a terminated string: an embedded NUL would end it early ("1.2.3.4\0x").
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != text.npos)
        return std::nullopt;
    const std::string copy(text);
    IpAddress address;
    if (::inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) {
        address.v4 = true;
        return address;
    }
    std::array<std::uint8_t, 16> v6{};
    if (::inet_pton(AF_INET6, copy.c_str(), v6.data()) != 1)
        return std::nullopt;
    if (std::memcmp(v6.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
        address.v4 = true;
        std::memcpy(address.bytes.data(), v6.data() + 12, 4);
    } else {
        address.v4 = false;
        address.bytes = v6;
    }
    return address;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.front() == '[') {  // "[v6]" or "[v6]:port"
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && allDigits(rest.substr(1))))
            return std::nullopt;
        auto inner = parseBare(text.substr(1, close - 1));
        return inner && !inner->v4 ? inner : std::nullopt;
    }
    if (auto bare = parseBare(text))
        return bare;
    // "a.b.c.d:port" (an IPv6 address without brackets has more than one colon).
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos &&
        allDigits(text.substr(colon + 1))) {
        auto v4 = parseBare(text.substr(0, colon));
        if (v4 && v4->v4)
            return v4;
    }
    return std::nullopt;
}

std::optional<IpAddress> IpAddress::fromSocketAddress(const void* address, std::size_t length) {
    sockaddr_storage storage{};
    if (address == nullptr || length < sizeof(sa_family_t) || length > sizeof storage)
        return std::nullopt;
    std::memcpy(&storage, address, length);
    IpAddress result;
    if (storage.ss_family == AF_INET && length >= sizeof(sockaddr_in)) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
        std::memcpy(result.bytes.data(), &in->sin_addr, 4);
        return result;
    }
    if (storage.ss_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
        const auto* raw = reinterpret_cast<const std::uint8_t*>(&in6->sin6_addr);
        if (std::memcmp(raw, kMappedPrefix, sizeof kMappedPrefix) == 0) {
            std::memcpy(result.bytes.data(), raw + 12, 4);
        } else {
            result.v4 = false;
            std::memcpy(result.bytes.data(), raw, 16);
        }
        return result;
    }
    return std::nullopt;
}

std::string IpAddress::toString() const {
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
    return text;
}

std::string IpAddress::accountingKey() const {
    if (v4)
        return toString();
    IpAddress prefix = *this;
    std::fill(prefix.bytes.begin() + 8, prefix.bytes.end(), 0);
    return prefix.toString() + "/64";
}

bool CidrBlock::contains(const IpAddress& address) const {
    if (address.v4 != network.v4)
        return false;
    int bits = prefixLength;
    for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((address.bytes[i] & mask) != (network.bytes[i] & mask))
            return false;
    }
    return true;
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
    TrustedProxies proxies;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find_first_of(", \t", start);
        if (end == std::string_view::npos)
            end = list.size();
        const auto entry = list.substr(start, end - start);
        start = end + 1;
        if (entry.empty())
            continue;
        const auto slash = entry.find('/');
        const auto addressText = entry.substr(0, slash);
        auto address = parseBare(addressText);
        if (!address) {
            throw std::invalid_argument("'" + std::string(entry) +
                                        "' is not an IP address or CIDR block");
        }
        const bool writtenAsV6 = addressText.find(':') != std::string_view::npos;
        const int maxPrefix = writtenAsV6 ? 128 : 32;
        int prefix = maxPrefix;
        if (slash != std::string_view::npos) {
            const auto digits = entry.substr(slash + 1);
            if (!allDigits(digits) || digits.size() > 3 ||
                std::stoi(std::string(digits)) > maxPrefix) {
                throw std::invalid_argument("'" + std::string(entry) +
                                            "' has a prefix length outside 0.." +
                                            std::to_string(maxPrefix));
            }
            prefix = std::stoi(std::string(digits));
        }
        // An IPv4-mapped block written in IPv6 form ("::ffff:10.0.0.0/104") counts in IPv4 bits.
        if (address->v4 && writtenAsV6)
            prefix = std::max(0, prefix - 96);
        proxies.blocks_.push_back(CidrBlock{*address, prefix});
    }
    return proxies;
}

bool TrustedProxies::trusts(const IpAddress& address) const {
    for (const auto& block : blocks_) {
        if (block.contains(address))
            return true;
    }
    return false;
}

ClientAddress resolveClientAddress(const IpAddress& peer, std::string_view forwardedFor,
                                   const TrustedProxies& trusted) {
    ClientAddress client{peer, false};
    if (forwardedFor.empty() || !trusted.trusts(peer))
        return client;
    std::vector<std::string_view> hops;
    std::size_t start = 0;
    while (start <= forwardedFor.size()) {
        auto comma = forwardedFor.find(',', start);
        if (comma == std::string_view::npos)
            comma = forwardedFor.size();
        const auto entry = trim(forwardedFor.substr(start, comma - start));
        if (!entry.empty())
            hops.push_back(entry);
        start = comma + 1;
    }
    // Right to left: each entry was appended by the hop right of it, which we trust so far.
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto hop = IpAddress::parse(*it);
        if (!hop)
            return client;  // garbage: the last hop a trusted proxy vouched for
        client = ClientAddress{*hop, true};
        if (!trusted.trusts(*hop))
            return client;
    }
    return client;  // every hop is a trusted proxy: the left-most is as far as we can see
}

}  // namespace fp::websocket
