// sink-notion's settings, read once from the validated options and the environment.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"
#include "property_mapping.hpp"

namespace fp::notion {

// The two API generations of NOTION.md.
enum class ApiGeneration {
    databases,    // Notion-Version 2022-06-28: parent database_id, /databases/{id}/query
    dataSources,  // Notion-Version 2025-09-03+: parent data_source_id, /data_sources/{id}/query
};

inline constexpr const char* kDatabasesVersion = "2022-06-28";
inline constexpr const char* kDataSourcesVersion = "2025-09-03";
inline constexpr const char* kDefaultBaseUrl = "https://api.notion.com/v1";

struct NotionSettings {
    std::string token;    // a secret: never logged, never in a message
    std::string baseUrl;  // without a trailing '/'
    ApiGeneration generation = ApiGeneration::databases;
    std::string notionVersion;
    std::string targetId;  // the database id or the data source id
    std::chrono::milliseconds timeout{60000};
    std::chrono::milliseconds historyTimeout{10000};
    double requestsPerSecond = 3;
    double burst = 3;
    bool requireAtStart = false;
    int maxHistoryPages = 10;
    PropertyMapping mapping;

    std::string parentKey() const {
        return generation == ApiGeneration::databases ? "database_id" : "data_source_id";
    }
    std::string collectionPath() const {  // "/databases/ID" or "/data_sources/ID"
        return (generation == ApiGeneration::databases ? "/databases/" : "/data_sources/") +
               targetId;
    }
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnvironment();

// The manifest's options.
std::vector<fp::sdk::OptionSpec> notionOptions();

// Problems (missing token, both ids or none, a version of the wrong generation, a bad
// mapping...) are appended one sentence each; the result is only usable without problems.
NotionSettings readSettings(const fp::sdk::PluginOptions& options, const EnvLookup& env,
                            std::vector<std::string>& problems);

}  // namespace fp::notion
