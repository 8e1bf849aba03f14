#include "storage_manifest.hpp"

#include "firepoker/sdk/option_builders.hpp"
#include "redis_settings.hpp"

namespace fp::plugins::redis {
namespace option = fp::sdk::option;

fp::sdk::Manifest storageRedisManifest() {
    fp::sdk::Manifest m;
    m.name = "storage-redis";
    m.version = "1.0.0";
    m.description =
        "Rooms, outbox and presence in Redis, shared by several server instances "
        "(compare-and-swap and publish in one Lua script)";
    m.options = connectionOptionSpecs();
    m.options.push_back(
        option::integer("poolSize", 4, "connections for commands; each caller thread borrows one")
            .between(1, 64));
    m.options.push_back(
        option::integer("healthCheckMs", 1000, "how often Redis is pinged to keep /readyz current")
            .between(100, 60000));
    m.options.push_back(option::boolean(
        "publishOnCommit", true,
        "publish each new state on the room's channel in the commit script; keep true with "
        "bus-redis, set false with any other bus"));
    m.options.push_back(option::boolean(
        "cluster", false,
        "Redis Cluster with several nodes: learn the slot map (CLUSTER SLOTS) from the url's "
        "node and send each command to its slot's node, following MOVED and ASK"));
    m.options.push_back(
        option::integer("outboxRepairSeconds", 60,
                        "how often the outbox index is checked against the rooms' outbox keys "
                        "(SCAN), finding results of a process that died between a commit and "
                        "its index write")
            .between(1, 86400));
    return m;
}

}  // namespace fp::plugins::redis
