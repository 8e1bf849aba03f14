#include "app/startup_checks.hpp"

#include "plugins/plugin_catalog.hpp"
#include "util/crypto.hpp"

namespace fp::app {
namespace {
// Problems with a variable of the environment, not with a key of the file.
constexpr const char* kEnvironment = "environment";
constexpr std::size_t kMinSecretLength = 16;

bool hasWhitespace(const std::string& text) {
    for (unsigned char c : text) {
        if (c <= ' ' || c == 0x7f)
            return true;
    }
    return false;
}

// The key that signs resume tokens. Instances sharing rooms must share it; without it seats
// do not survive a restart (a warning, not a refusal).
void checkResumeSecret(const config::Environment& env, StartupCheck& check) {
    std::string error;
    auto secret = config::lookupSecret(env, "FP_RESUME_SECRET", error);
    if (!error.empty()) {
        check.problems.push_back({kEnvironment, "FP_RESUME_SECRET", error});
        return;
    }
    if (!secret) {
        check.warnings.push_back(
            "FP_RESUME_SECRET is not set: using a random secret, so seats do not survive a "
            "restart and instances cannot share rooms");
        check.resumeSecret = util::randomBytes(32);
        return;
    }
    if (secret->size() < kMinSecretLength) {
        check.problems.push_back(
            {kEnvironment, "FP_RESUME_SECRET", "must be at least 16 characters"});
        return;
    }
    check.resumeSecret = *secret;
}

// The bearer token of the operator routes; unset keeps them off.
void checkAdminToken(const config::Environment& env, StartupCheck& check) {
    std::string error;
    auto token = config::lookupSecret(env, "FP_ADMIN_TOKEN", error);
    if (!error.empty()) {
        check.problems.push_back({kEnvironment, "FP_ADMIN_TOKEN", error});
        return;
    }
    if (!token)
        return;
    if (token->empty()) {
        check.problems.push_back(
            {kEnvironment, "FP_ADMIN_TOKEN",
             "is empty: unset it to keep the admin routes off, or set at least 16 characters"});
    } else if (token->size() < kMinSecretLength) {
        check.problems.push_back({kEnvironment, "FP_ADMIN_TOKEN",
                                  "must be at least 16 characters (it guards the admin routes)"});
    } else if (hasWhitespace(*token)) {
        check.problems.push_back(
            {kEnvironment, "FP_ADMIN_TOKEN",
             "has spaces or control characters: clients could not send it in a header"});
    } else {
        check.adminToken = *token;
    }
}

// What no plugin can see alone.
void checkCombinations(const config::AppConfig& config, StartupCheck& check) {
    if (check.plugins.storage->publishesOnCommit() && config.bus.plugin == "bus-local") {
        // The in-process bus only hears what the core publishes: no client would get a state.
        check.problems.push_back(
            {config.file, "storage.options",
             "storage " + config.storage.plugin +
                 " publishes states itself, which bus-local never receives: use bus-redis, or "
                 "set storage.options.publishOnCommit to false"});
    }
}
}  // namespace

StartupCheck checkStartup(config::AppConfig& config, config::ConfigProblems loadProblems,
                          const config::Environment& env, const std::string& instanceId,
                          const std::shared_ptr<metrics::PluginMetricFamilies>& metrics) {
    StartupCheck check;
    check.problems = std::move(loadProblems);
    checkResumeSecret(env, check);
    checkAdminToken(env, check);

    auto envPluginPath = env.count("FP_PLUGIN_PATH") ? env.at("FP_PLUGIN_PATH") : std::string();
    auto catalog = plugins::PluginCatalog::standard(config.server.pluginPath, envPluginPath);
    for (auto& problem : resolvePlugins(config, catalog, env, check.opened))
        check.problems.push_back(std::move(problem));
    // Objects only from options that passed every check above.
    if (!check.ok())
        return check;
    check.plugins = createPlugins(config, check.opened, instanceId, metrics, check.problems);
    if (!check.ok()) {
        check.plugins = PluginSet{};
        return check;
    }
    checkCombinations(config, check);
    return check;
}

}  // namespace fp::app
