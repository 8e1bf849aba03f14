#include "bus_manifest.hpp"

#include "firepoker/sdk/option_builders.hpp"
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
    m.options.push_back(
        fp::sdk::option::integer("pingIntervalMs", 1000,
                                 "the subscription connection is pinged this often; no answer "
                                 "within commandTimeoutMs counts as a lost connection")
            .between(100, 60000));
    return m;
}

}  // namespace fp::plugins::redis
