// Connection settings shared by storage-redis and bus-redis: declared once in both manifests,
// read once from the validated options.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"
#include "redis_url.hpp"

namespace fp::plugins::redis {

struct RedisSettings {
    RedisAddress address;
    std::chrono::milliseconds connectTimeout{1000};
    std::chrono::milliseconds commandTimeout{1000};
    std::chrono::milliseconds reconnectMin{100};
    std::chrono::milliseconds reconnectMax{5000};
    std::string keyPrefix = "fp";
};

// url, password (secret), connectTimeoutMs, commandTimeoutMs, reconnectMinMs,
// reconnectMaxMs, keyPrefix.
std::vector<fp::sdk::OptionSpec> connectionOptionSpecs();

// Throws std::invalid_argument (bad url, reconnectMinMs above reconnectMaxMs...). The
// `password` option, when set, wins over a password in the url.
RedisSettings settingsFromOptions(const fp::sdk::PluginOptions& options);

}  // namespace fp::plugins::redis
