#include "storage_manifest.hpp"

#include "redis_settings.hpp"

namespace fp::plugins::redis {
namespace {
fp::sdk::OptionSpec integerOption(std::string name, int fallback, int minimum, int maximum,
                                  std::string description) {
    fp::sdk::OptionSpec spec;
    spec.name = std::move(name);
    spec.type = fp::sdk::OptionType::integer;
    spec.description = std::move(description);
    spec.defaultValue = std::to_string(fallback);
    spec.minimum = minimum;
    spec.maximum = maximum;
    return spec;
}
}  // namespace

fp::sdk::Manifest storageRedisManifest() {
    fp::sdk::Manifest m;
    m.name = "storage-redis";
    m.version = "1.0.0";
    m.description =
        "Rooms, outbox and presence in Redis, shared by several server instances "
        "(compare-and-swap and publish in one Lua script)";
    m.options = connectionOptionSpecs();
    m.options.push_back(integerOption("poolSize", 4, 1, 64,
                                      "connections for commands; each caller thread borrows one"));
    m.options.push_back(integerOption("healthCheckMs", 1000, 100, 60000,
                                      "how often Redis is pinged to keep /readyz current"));
    fp::sdk::OptionSpec publish;
    publish.name = "publishOnCommit";
    publish.type = fp::sdk::OptionType::boolean;
    publish.defaultValue = "true";
    publish.description =
        "publish each new state on the room's channel in the commit script; keep true with "
        "bus-redis, set false with any other bus";
    m.options.push_back(publish);
    return m;
}

}  // namespace fp::plugins::redis
