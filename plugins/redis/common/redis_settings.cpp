#include "redis_settings.hpp"

#include "firepoker/sdk/option_builders.hpp"

#include <stdexcept>

namespace fp::plugins::redis {
namespace option = fp::sdk::option;

std::vector<fp::sdk::OptionSpec> connectionOptionSpecs() {
    return {
        option::string("url", "redis://127.0.0.1:6379/0",
                       "redis://[[user]:password@]host[:port][/db], or rediss://... for TLS; "
                       "prefer the password option (environment only) to a password in the url"),
        option::secret("password", "Redis password (AUTH); wins over one in the url"),
        option::integer("connectTimeoutMs", 1000, "time allowed to open a connection")
            .between(10, 60000),
        option::integer("commandTimeoutMs", 1000,
                        "time allowed for one answer; a slower one counts as Redis unavailable")
            .between(10, 60000),
        option::integer("reconnectMinMs", 100, "first pause before reconnecting; doubles")
            .between(10, 60000),
        option::integer("reconnectMaxMs", 5000, "longest pause between reconnect attempts")
            .between(10, 300000),
        option::string("keyPrefix", "fp",
                       "prefix of every key and channel; storage-redis and bus-redis must use "
                       "the same one"),
        option::string("tlsCaFile", "",
                       "rediss://: PEM file of the CA certificates that sign the server's "
                       "certificate; empty = the system's CA store"),
        option::string("tlsServerName", "",
                       "rediss://: the name the server's certificate must carry (also sent as "
                       "SNI); empty = the url's host (or each cluster node's address)"),
        option::string("tlsCertFile", "",
                       "rediss://: PEM client certificate (chain), for a server that asks for "
                       "one (tls-auth-clients yes); with tlsKeyFile"),
        option::string("tlsKeyFile", "", "rediss://: PEM private key of tlsCertFile"),
    };
}

RedisSettings settingsFromOptions(const fp::sdk::PluginOptions& options) {
    RedisSettings settings;
    settings.address = parseRedisUrl(options.getString("url"));
    if (options.has("password") && !options.getString("password").empty())
        settings.address.password = options.getString("password");
    settings.connectTimeout = std::chrono::milliseconds(options.getInt("connectTimeoutMs"));
    settings.commandTimeout = std::chrono::milliseconds(options.getInt("commandTimeoutMs"));
    settings.reconnectMin = std::chrono::milliseconds(options.getInt("reconnectMinMs"));
    settings.reconnectMax = std::chrono::milliseconds(options.getInt("reconnectMaxMs"));
    if (settings.reconnectMin > settings.reconnectMax)
        throw std::invalid_argument("reconnectMinMs must not be above reconnectMaxMs");
    settings.keyPrefix = options.getString("keyPrefix");
    if (settings.keyPrefix.empty() ||
        settings.keyPrefix.find_first_of("{} \t\r\n") != std::string::npos)
        throw std::invalid_argument("keyPrefix must be non-empty, without braces or spaces");
    TlsOptions tls;
    tls.caFile = options.getString("tlsCaFile");
    tls.serverName = options.getString("tlsServerName");
    tls.certFile = options.getString("tlsCertFile");
    tls.keyFile = options.getString("tlsKeyFile");
    if (settings.address.tls)
        settings.tls = std::make_shared<const TlsClient>(std::move(tls));
    else if (tls.any())
        throw std::invalid_argument(
            "tls options (tlsCaFile, tlsServerName, tlsCertFile, tlsKeyFile) are set but the url "
            "is redis://: use rediss:// for TLS");
    return settings;
}

std::vector<std::string> checkConnectionOptions(const fp::sdk::PluginOptions& options) {
    try {
        const RedisSettings settings = settingsFromOptions(options);
        if (options.has("cluster") && options.getBool("cluster") && settings.address.db != 0)
            return {"cluster: Redis Cluster has only database 0, the url names " +
                    std::to_string(settings.address.db)};
    } catch (const std::invalid_argument& e) {
        return {e.what()};
    }
    return {};
}

}  // namespace fp::plugins::redis
