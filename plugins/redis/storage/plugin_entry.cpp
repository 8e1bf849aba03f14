#include "firepoker/sdk/export.hpp"
#include "redis_storage.hpp"
#include "storage_manifest.hpp"

FIREPOKER_PLUGIN(fp::plugins::redis::RedisStorage, fp::plugins::redis::storageRedisManifest)
