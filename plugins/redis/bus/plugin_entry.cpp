#include "bus_manifest.hpp"
#include "firepoker/sdk/export.hpp"
#include "redis_bus.hpp"

FIREPOKER_PLUGIN(fp::plugins::redis::RedisBus, fp::plugins::redis::busRedisManifest)
