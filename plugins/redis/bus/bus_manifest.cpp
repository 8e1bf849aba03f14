#include "bus_manifest.hpp"

#include "redis_settings.hpp"

namespace fp::plugins::redis {

fp::sdk::Manifest busRedisManifest() {
    fp::sdk::Manifest m;
    m.name = "bus-redis";
    m.version = "1.0.0";
    m.description =
        "Redis pub/sub between server instances: one channel per room, subscribed while the "
        "instance has connections in it; resync after a reconnect";
    m.options = connectionOptionSpecs();
    fp::sdk::OptionSpec ping;
    ping.name = "pingIntervalMs";
    ping.type = fp::sdk::OptionType::integer;
    ping.defaultValue = "1000";
    ping.minimum = 100;
    ping.maximum = 60000;
    ping.description =
        "the subscription connection is pinged this often; no answer within commandTimeoutMs "
        "counts as a lost connection";
    m.options.push_back(ping);
    return m;
}

}  // namespace fp::plugins::redis
