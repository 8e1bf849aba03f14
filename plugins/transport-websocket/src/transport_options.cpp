#include "transport_options.hpp"

#include "client_address.hpp"

#include <stdexcept>
#include <string>

namespace fp::websocket {
namespace {

struct IntOption {
    const char* name;
    std::int64_t defaultValue;
    std::int64_t minimum;
    std::int64_t maximum;
    const char* description;
};

const IntOption kIntOptions[] = {
    {"maxMessageBytes", 16384, 125, 16 * 1024 * 1024,
     "Largest client message (and frame) in bytes; a larger one closes the connection with 1009"},
    {"maxQueuedBytes", 1048576, 16384, 256 * 1024 * 1024,
     "Bytes that may wait to be sent to one connection; a client that reads too slowly to stay "
     "under it is closed with 1008"},
    {"pingIntervalSeconds", 30, 1, 3600, "Seconds between WebSocket pings sent to each client"},
    {"idleTimeoutSeconds", 75, 2, 86400,
     "A client that sends no frame at all (pongs count) for this long is closed with 1001"},
    {"ioThreads", 1, 1, 2, "Event-loop threads serving upgraded WebSocket connections"},
    {"maxHttpThreads", 16, 2, 256,
     "Threads of the HTTP server (plain HTTP requests and upgrade handshakes only)"},
    {"handshakeTimeoutSeconds", 10, 1, 120,
     "Seconds a new connection has to send its complete request head (it is closed otherwise, "
     "without ever holding an HTTP thread); also the read/write timeout of HTTP requests"},
    {"backlog", 4096, 16, 65535,
     "listen() backlog of the HTTP socket (the kernel caps it at net.core.somaxconn); large "
     "enough for a burst of connects while the accepting thread is busy"},
    {"maxPendingHandshakes", 4096, 16, 1000000,
     "Connections that may wait at once for their request head to arrive; one more closes the "
     "oldest of them"},
    {"maxConnectionsPerAddress", 256, 0, 10000000,
     "WebSocket connections one client address may hold (IPv6: one /64); the next upgrade is "
     "answered 429. 0 = no limit. Behind a proxy, set trustedProxies"},
};

constexpr const char* kTrustedProxies = "trustedProxies";

std::int64_t readInt(const sdk::PluginOptions& options, const IntOption& spec) {
    const std::int64_t value =
        options.has(spec.name) ? options.getInt(spec.name) : spec.defaultValue;
    if (value < spec.minimum || value > spec.maximum) {
        throw std::invalid_argument("transport-websocket option " + std::string(spec.name) + " = " +
                                    std::to_string(value) + " is outside [" +
                                    std::to_string(spec.minimum) + ", " +
                                    std::to_string(spec.maximum) + "]");
    }
    return value;
}

const IntOption& find(const char* name) {
    for (const auto& spec : kIntOptions) {
        if (std::string(spec.name) == name)
            return spec;
    }
    throw std::logic_error(std::string("undeclared transport option ") + name);
}

}  // namespace

std::vector<sdk::OptionSpec> transportOptionSpecs() {
    std::vector<sdk::OptionSpec> specs;
    for (const auto& option : kIntOptions) {
        sdk::OptionSpec spec;
        spec.name = option.name;
        spec.type = sdk::OptionType::integer;
        spec.description = option.description;
        spec.defaultValue = std::to_string(option.defaultValue);
        spec.minimum = static_cast<double>(option.minimum);
        spec.maximum = static_cast<double>(option.maximum);
        specs.push_back(std::move(spec));
    }
    sdk::OptionSpec proxies;
    proxies.name = kTrustedProxies;
    proxies.type = sdk::OptionType::string;
    proxies.description =
        "Proxies (load balancers) whose X-Forwarded-For is believed, as CIDR blocks or addresses, "
        "comma-separated (10.0.0.0/8,fd00::/8); the client address is then the right-most "
        "address of X-Forwarded-For that is not one of them. Empty = the TCP peer is the client";
    proxies.defaultValue = "\"\"";  // JSON text of the empty string
    specs.push_back(std::move(proxies));
    return specs;
}

TransportOptions readTransportOptions(const sdk::PluginOptions& options) {
    auto get = [&](const char* name) { return readInt(options, find(name)); };
    TransportOptions result;
    result.maxMessageBytes = static_cast<std::size_t>(get("maxMessageBytes"));
    result.maxQueuedBytes = static_cast<std::size_t>(get("maxQueuedBytes"));
    result.pingIntervalSeconds = static_cast<int>(get("pingIntervalSeconds"));
    result.idleTimeoutSeconds = static_cast<int>(get("idleTimeoutSeconds"));
    result.ioThreads = static_cast<int>(get("ioThreads"));
    result.maxHttpThreads = static_cast<int>(get("maxHttpThreads"));
    result.handshakeTimeoutSeconds = static_cast<int>(get("handshakeTimeoutSeconds"));
    result.backlog = static_cast<int>(get("backlog"));
    result.maxPendingHandshakes = static_cast<int>(get("maxPendingHandshakes"));
    result.maxConnectionsPerAddress = static_cast<int>(get("maxConnectionsPerAddress"));
    if (options.has(kTrustedProxies)) {
        result.trustedProxies = options.getString(kTrustedProxies);
        try {
            (void)TrustedProxies::parse(result.trustedProxies);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("transport-websocket option trustedProxies: " +
                                        std::string(e.what()));
        }
    }
    return result;
}

}  // namespace fp::websocket
