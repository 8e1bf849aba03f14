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
    m.options.push_back(fp::sdk::option::boolean(
        "cluster", false,
        "Redis Cluster with several nodes: when the subscription's or a publish's node cannot "
        "be reached, use another node of the cluster (learned with CLUSTER NODES; any node "
        "hears every PUBLISH), subscribe every room again there and resync"));
    return m;
}

}  // namespace fp::plugins::redis
