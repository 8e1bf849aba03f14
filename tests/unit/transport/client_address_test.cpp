// Who the client is (the peer, or X-Forwarded-For from a trusted proxy), the raw head summary the
// pre-accept stage reads, and the per-address connection slots.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "address_slots.hpp"
#include "client_address.hpp"
#include "request_head.hpp"
#include "transport_options.hpp"

using namespace fp::websocket;

namespace {

IpAddress ip(const char* text) {
    auto parsed = IpAddress::parse(text);
    REQUIRE(parsed);
    return *parsed;
}

std::string client(const char* peer, const char* forwardedFor, const char* trusted) {
    return resolveClientAddress(ip(peer), forwardedFor, TrustedProxies::parse(trusted))
        .address.toString();
}

}  // namespace

TEST_CASE("client address: IP addresses parse in the forms proxies write", "[client-address]") {
    CHECK(ip("203.0.113.7").toString() == "203.0.113.7");
    CHECK(ip(" 203.0.113.7 ").toString() == "203.0.113.7");
    CHECK(ip("203.0.113.7:443").toString() == "203.0.113.7");
    CHECK(ip("2001:db8::1").toString() == "2001:db8::1");
    CHECK(ip("[2001:db8::1]").toString() == "2001:db8::1");
    CHECK(ip("[2001:db8::1]:8080").toString() == "2001:db8::1");
    // What a dual-stack socket reports for an IPv4 peer is that IPv4 address.
    CHECK(ip("::ffff:198.51.100.4").v4);
    CHECK(ip("::ffff:198.51.100.4").toString() == "198.51.100.4");
    for (const char* bad :
         {"", "unknown", "1.2.3", "1.2.3.4.5", "300.1.1.1", "1.2.3.4:", "1.2.3.4:x", "[1.2.3.4]",
          "[2001:db8::1", "2001:db8::1]:80", "_hidden", "1.2.3.4 5"}) {
        INFO(bad);
        CHECK_FALSE(IpAddress::parse(bad));
    }
}

// Found by fuzz/transport_fuzzer.cpp: inet_pton stopped at an embedded NUL, so "1.2.3.4\0junk"
// was taken for 1.2.3.4.
TEST_CASE("client address: an embedded NUL makes text no address", "[client-address]") {
    using namespace std::string_literals;
    CHECK_FALSE(IpAddress::parse("1.2.3.4\0junk"s));
    CHECK_FALSE(IpAddress::parse("1.2.3.4\0"s));
    CHECK_FALSE(IpAddress::parse("1.2.3.4\0:80"s));
    CHECK_FALSE(IpAddress::parse("[::ffc\0\0.9]:80"s));
    CHECK_FALSE(IpAddress::parse("2001:db8::1\0::2"s));
    CHECK_THROWS_AS(TrustedProxies::parse("10.0.0.1\0evil/8"s), std::invalid_argument);
    const auto resolved = resolveClientAddress(ip("10.0.0.5"), "203.0.113.9\0, 10.1.2.3"s,
                                               TrustedProxies::parse("10.0.0.0/8"));
    CHECK(resolved.address.toString() == "10.1.2.3");
}

TEST_CASE("client address: IPv6 clients are counted by their /64", "[client-address]") {
    CHECK(ip("203.0.113.7").accountingKey() == "203.0.113.7");
    CHECK(ip("2001:db8:1:2:aaaa::1").accountingKey() == "2001:db8:1:2::/64");
    CHECK(ip("2001:db8:1:2:bbbb::9").accountingKey() == ip("2001:db8:1:2::1").accountingKey());
    CHECK(ip("2001:db8:1:3::1").accountingKey() != ip("2001:db8:1:2::1").accountingKey());
}

TEST_CASE("client address: trusted proxy lists", "[client-address]") {
    const auto proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.10 fd00::/8,,172.16.0.0/12");
    CHECK(proxies.trusts(ip("10.200.3.4")));
    CHECK(proxies.trusts(ip("192.168.1.10")));
    CHECK_FALSE(proxies.trusts(ip("192.168.1.11")));
    CHECK(proxies.trusts(ip("172.31.255.255")));
    CHECK_FALSE(proxies.trusts(ip("172.32.0.0")));
    CHECK(proxies.trusts(ip("fd12::1")));
    CHECK_FALSE(proxies.trusts(ip("fe80::1")));
    CHECK(TrustedProxies::parse("0.0.0.0/0").trusts(ip("8.8.8.8")));
    CHECK(TrustedProxies::parse("").empty());
    CHECK(TrustedProxies::parse("::ffff:10.0.0.0/104").trusts(ip("10.9.9.9")));

    CHECK_THROWS_WITH(TrustedProxies::parse("10.0.0.0/8,example.com"),
                      Catch::Contains("'example.com' is not an IP address"));
    CHECK_THROWS_WITH(TrustedProxies::parse("10.0.0.0/33"), Catch::Contains("0..32"));
    CHECK_THROWS_WITH(TrustedProxies::parse("fd00::/129"), Catch::Contains("0..128"));
    CHECK_THROWS_WITH(TrustedProxies::parse("10.0.0.0/"), Catch::Contains("'10.0.0.0/'"));
    CHECK_THROWS_WITH(TrustedProxies::parse("10.0.0.0/-1"), Catch::Contains("'10.0.0.0/-1'"));
}

TEST_CASE("client address: X-Forwarded-For is ignored unless the peer is trusted",
          "[client-address]") {
    // Spoofing: anyone can write the header; from an untrusted peer it means nothing.
    CHECK(client("198.51.100.4", "203.0.113.9", "") == "198.51.100.4");
    CHECK(client("198.51.100.4", "203.0.113.9", "10.0.0.0/8") == "198.51.100.4");
    CHECK_FALSE(
        resolveClientAddress(ip("198.51.100.4"), "203.0.113.9", TrustedProxies::parse("10.0.0.0/8"))
            .forwarded);
}

TEST_CASE("client address: from a trusted proxy, the right-most untrusted hop is the client",
          "[client-address]") {
    const char* trusted = "10.0.0.0/8";
    CHECK(client("10.0.0.5", "203.0.113.9", trusted) == "203.0.113.9");
    CHECK(resolveClientAddress(ip("10.0.0.5"), "203.0.113.9", TrustedProxies::parse(trusted))
              .forwarded);
    // The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
    CHECK(client("10.0.0.5", "1.1.1.1, 203.0.113.9", trusted) == "203.0.113.9");
    // Two trusted proxies in a row (a CDN in front of the load balancer, both trusted).
    CHECK(client("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9");
    CHECK(client("10.0.0.5", "203.0.113.9:51000,10.1.2.3", trusted) == "203.0.113.9");
    // Every hop trusted: the left-most is as far as anyone can see.
    CHECK(client("10.0.0.5", "10.9.9.9, 10.1.2.3", trusted) == "10.9.9.9");
    // No header, or an empty one: the proxy itself.
    CHECK(client("10.0.0.5", "", trusted) == "10.0.0.5");
    CHECK(client("10.0.0.5", " , ", trusted) == "10.0.0.5");
    // Garbage where a trusted proxy should have written an address: the last vouched-for hop.
    CHECK(client("10.0.0.5", "203.0.113.9, unknown", trusted) == "10.0.0.5");
    CHECK(client("10.0.0.5", "unknown, 10.1.2.3", trusted) == "10.1.2.3");
    CHECK(client("10.0.0.5", "2001:db8::7, 10.1.2.3", "10.0.0.0/8") == "2001:db8::7");
}

TEST_CASE("request head summary: path and every X-Forwarded-For, as POCO would read them",
          "[client-address]") {
    const auto summary = summarizeRequestHead(
        "\r\nGET /ws?x=1 HTTP/1.1\r\nHost: a\r\nx-forwarded-for: 1.1.1.1\r\n"
        "X-Forwarded-For:  203.0.113.9 \r\nX-Forwarded-Forx: 9.9.9.9\r\n\r\nX-Forwarded-For: "
        "8.8.8.8\r\n");
    CHECK(summary.method == "GET");
    CHECK(summary.path == "/ws");
    CHECK(summary.forwardedFor == "1.1.1.1, 203.0.113.9");
    const auto bareLf =
        summarizeRequestHead("GET /index.html HTTP/1.1\nX-Forwarded-For: 2.2.2.2\n\n");
    CHECK(bareLf.path == "/index.html");
    CHECK(bareLf.forwardedFor == "2.2.2.2");
    CHECK(summarizeRequestHead("garbage").path.empty());
    CHECK(summarizeRequestHead("").path.empty());
}

TEST_CASE("address slots: a limit per address, given back when the slot goes", "[client-address]") {
    auto slots = std::make_shared<AddressSlots>(2);
    auto a1 = slots->tryTake("a");
    auto a2 = slots->tryTake("a");
    REQUIRE(a1);
    REQUIRE(a2);
    CHECK_FALSE(slots->tryTake("a"));
    CHECK(slots->full("a"));
    CHECK(slots->tryTake("b"));  // taken and given back at once
    CHECK(slots->count("b") == 0);
    CHECK(slots->count("a") == 2);

    AddressSlot moved = std::move(*a1);
    CHECK(moved.held());
    CHECK_FALSE(a1->held());
    a1.reset();
    CHECK(slots->count("a") == 2);  // the moved-from receipt gave nothing back
    moved.release();
    moved.release();  // once only
    CHECK(slots->count("a") == 1);
    CHECK(slots->tryTake("a"));
    a2.reset();
    CHECK(slots->count("a") == 0);
    CHECK(slots->addresses() == 0);

    auto unlimited = std::make_shared<AddressSlots>(0);
    std::vector<AddressSlot> held;
    for (int i = 0; i < 1000; ++i)
        held.push_back(std::move(*unlimited->tryTake("x")));
    CHECK(unlimited->count("x") == 1000);
}

TEST_CASE("transport options: connection limits and trusted proxies", "[client-address]") {
    fp::sdk::PluginOptions defaults;
    const auto options = readTransportOptions(defaults);
    CHECK(options.maxConnectionsPerAddress == 256);
    CHECK(options.trustedProxies.empty());

    fp::sdk::PluginOptions bad;
    bad.set("trustedProxies", std::string("10.0.0.0/8, lb.internal"));
    CHECK_THROWS_WITH(readTransportOptions(bad),
                      Catch::Contains("trustedProxies") && Catch::Contains("'lb.internal'"));
    fp::sdk::PluginOptions negative;
    negative.set("maxConnectionsPerAddress", std::int64_t{-1});
    CHECK_THROWS_WITH(readTransportOptions(negative), Catch::Contains("maxConnectionsPerAddress"));
}
