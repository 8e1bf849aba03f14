// Connection settings shared by storage-redis and bus-redis: declared once in both manifests,
// read once from the validated options.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"
#include "redis_url.hpp"
#include "tls_client.hpp"

namespace fp::plugins::redis {

struct RedisSettings {
    RedisAddress address;
    std::chrono::milliseconds connectTimeout{1000};
    std::chrono::milliseconds commandTimeout{1000};
    std::chrono::milliseconds reconnectMin{100};
    std::chrono::milliseconds reconnectMax{5000};
    std::string keyPrefix = "fp";
    // rediss://: the TLS context every connection of the plugin shares; null for redis://.
    std::shared_ptr<const TlsClient> tls;
};

// url, password (secret), connectTimeoutMs, commandTimeoutMs, reconnectMinMs,
// reconnectMaxMs, keyPrefix, tlsCaFile, tlsServerName, tlsCertFile, tlsKeyFile.
std::vector<fp::sdk::OptionSpec> connectionOptionSpecs();

// Throws std::invalid_argument (bad url, reconnectMinMs above reconnectMaxMs, a tls* option
// with a redis:// url, a CA or certificate file missing or unreadable...). The `password`
// option, when set, wins over a password in the url. With rediss://, the CA store and the
// client certificate are loaded here, once.
RedisSettings settingsFromOptions(const fp::sdk::PluginOptions& options);

// What settingsFromOptions would refuse, plus `cluster` with a database other than 0: one
// problem per element (the plugins' checkOptions, so --check-config reports them).
std::vector<std::string> checkConnectionOptions(const fp::sdk::PluginOptions& options);

}  // namespace fp::plugins::redis
