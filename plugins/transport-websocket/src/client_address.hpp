// Who a connection's client is: the TCP peer, or, when the peer is a proxy the operator trusts
// (a load balancer, a reverse proxy), the address that proxy reports in X-Forwarded-For.
//
// Why only from trusted peers: X-Forwarded-For is an ordinary header; any client can write
// anything in it. Only the part appended by proxies we trust is evidence, so the list is read
// from the right (each proxy appends the address it received from) and the first address that is
// not a trusted proxy is the client. Everything left of it was written by that client.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fp::websocket {

// An IPv4 or IPv6 address; IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack socket reports
// for an IPv4 peer) is stored as the IPv4 address it maps.
struct IpAddress {
    bool v4 = true;
    std::array<std::uint8_t, 16> bytes{};  // IPv4: the first 4

    // "203.0.113.7", "2001:db8::1"; also "203.0.113.7:443", "[2001:db8::1]:443" and
    // "[2001:db8::1]" (some proxies write ports). nullopt for anything else.
    static std::optional<IpAddress> parse(std::string_view text);
    // From a sockaddr_in / sockaddr_in6 as accept() fills it; nullopt for other families.
    static std::optional<IpAddress> fromSocketAddress(const void* address, std::size_t length);
    std::string toString() const;
    // The key connections are counted under: the address itself for IPv4, its /64 for IPv6
    // (one subscriber usually holds a whole /64, so counting single IPv6 addresses limits
    // nothing).
    std::string accountingKey() const;
};

struct CidrBlock {
    IpAddress network;
    int prefixLength = 0;
    bool contains(const IpAddress& address) const;
};

class TrustedProxies {
  public:
    TrustedProxies() = default;
    // A comma- or space-separated list of CIDR blocks or single addresses ("10.0.0.0/8,
    // 192.168.1.10, fd00::/8"). Throws std::invalid_argument naming the bad entry.
    static TrustedProxies parse(std::string_view list);

    bool empty() const { return blocks_.empty(); }
    bool trusts(const IpAddress& address) const;

  private:
    std::vector<CidrBlock> blocks_;
};

struct ClientAddress {
    IpAddress address;
    // True when it came from X-Forwarded-For (the peer was a trusted proxy).
    bool forwarded = false;
};

// `forwardedFor` is every X-Forwarded-For header of the request, joined with ", " in order
// (empty if none). An entry that is not an address ends the walk: the last address known to be
// reported by a trusted proxy is used (a proxy that wrote garbage is not evidence of anything).
ClientAddress resolveClientAddress(const IpAddress& peer, std::string_view forwardedFor,
                                   const TrustedProxies& trusted);

}  // namespace fp::websocket
