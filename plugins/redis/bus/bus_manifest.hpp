// The manifest of bus-redis: its options (the connection's plus its own).
#pragma once

#include "firepoker/sdk/manifest.hpp"

namespace fp::plugins::redis {
fp::sdk::Manifest busRedisManifest();
}
