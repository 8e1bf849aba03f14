#include "notion_settings.hpp"

#include <algorithm>
#include <cstdlib>

#include "firepoker/sdk/option_builders.hpp"

namespace fp::notion {
namespace {
namespace option = fp::sdk::option;

bool isDate(const std::string& v) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-')
        return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
            return false;
    }
    return true;
}

// Notion's ids are UUIDs: 32 hex digits, written with or without the dashes (8-4-4-4-12). A
// database id copied from its URL has none; "Copy data source ID" gives the dashed form.
bool isNotionId(const std::string& id) {
    const auto isHex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    if (id.size() == 32)
        return std::all_of(id.begin(), id.end(), isHex);
    if (id.size() != 36)
        return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != '-' : !isHex(id[i]))
            return false;
    }
    return true;
}

// A token pasted with a "Bearer " prefix, a space or a line break would be refused by Notion
// with 401 at every request: said at start instead. The token itself is never in the message.
std::optional<std::string> tokenProblem(const std::string& token) {
    if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0)
        return "the Notion token starts with \"Bearer \": set the integration's secret alone";
    for (unsigned char c : token) {
        if (c <= ' ' || c == 0x7f)
            return "the Notion token has spaces or control characters: set the integration's "
                   "secret alone (ntn_... or secret_...)";
    }
    return std::nullopt;
}

std::string stripSlash(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}
}  // namespace

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0')
            return std::nullopt;
        return std::string(value);
    };
}

std::vector<fp::sdk::OptionSpec> notionOptions() {
    std::vector<fp::sdk::OptionSpec> options = {
        option::secret("token",
                       "the integration's secret (ntn_... / secret_...); from the environment "
                       "only: FP_SINKS_<i>_OPTIONS_TOKEN, or NOTION_TOKEN"),
        option::string("databaseId", "",
                       "the database to write to (API 2022-06-28); or set dataSourceId"),
        option::string("dataSourceId", "",
                       "the data source to write to (API 2025-09-03); or set databaseId"),
        option::string("notionVersion", "",
                       "Notion-Version header; \"\" = 2022-06-28 with databaseId, 2025-09-03 "
                       "with dataSourceId"),
        option::string("baseUrl", "",
                       "API base URL; \"\" = NOTION_BASE_URL from the environment, else "
                       "https://api.notion.com/v1"),
        option::integer("timeoutSeconds", 60, "timeout of one request to Notion").between(1, 600),
        option::integer("historyTimeoutSeconds", 10,
                        "timeout of one request when a room's history is read back")
            .between(1, 600),
        option::number("requestsPerSecond", 3,
                       "requests to Notion per second, at most, on average (a delivery takes "
                       "2: query, then create or update)")
            .between(0.1, 1000),
        option::integer("burst", 0, "requests allowed at once above the rate (0 = the rate)")
            .between(0, 1000),
        option::boolean("requireAtStart", false,
                        "refuse to start when Notion cannot be reached or refuses the token; "
                        "false = start, report not ready, deliver once Notion answers"),
        option::integer("maxHistoryPages", 10,
                        "pages of 100 results read back when restoring a room")
            .between(1, 100),
    };
    for (auto& spec : mappingOptions())
        options.push_back(std::move(spec));
    return options;
}

NotionSettings readSettings(const fp::sdk::PluginOptions& options, const EnvLookup& env,
                            std::vector<std::string>& problems) {
    NotionSettings s;
    if (options.has("token") && !options.getString("token").empty()) {
        s.token = options.getString("token");
    } else if (auto token = env("NOTION_TOKEN")) {
        s.token = *token;
    } else {
        problems.push_back(
            "no Notion token: set FP_SINKS_<i>_OPTIONS_TOKEN (or ..._FILE) or NOTION_TOKEN in the "
            "environment to the integration's secret");
    }
    if (!s.token.empty()) {
        if (auto problem = tokenProblem(s.token))
            problems.push_back(*problem);
    }
    const std::string databaseId = options.getString("databaseId");
    const std::string dataSourceId = options.getString("dataSourceId");
    if (databaseId.empty() == dataSourceId.empty()) {
        problems.push_back(databaseId.empty()
                               ? "set databaseId (API 2022-06-28) or dataSourceId (API 2025-09-03)"
                               : "set databaseId or dataSourceId, not both");
    }
    s.generation = dataSourceId.empty() ? ApiGeneration::databases : ApiGeneration::dataSources;
    s.targetId = dataSourceId.empty() ? databaseId : dataSourceId;
    if (!s.targetId.empty() && !isNotionId(s.targetId)) {
        const std::string option = dataSourceId.empty() ? "databaseId" : "dataSourceId";
        problems.push_back(option + " \"" + s.targetId +
                           "\" is not a Notion id: 32 hexadecimal digits, with or without the "
                           "dashes of a UUID (" +
                           (dataSourceId.empty()
                                ? "the 32 characters before ?v= in the database's URL"
                                : "Manage data sources, Copy data source ID") +
                           ")");
    }
    s.notionVersion = options.getString("notionVersion");
    if (s.notionVersion.empty()) {
        s.notionVersion =
            s.generation == ApiGeneration::databases ? kDatabasesVersion : kDataSourcesVersion;
    } else if (!isDate(s.notionVersion)) {
        problems.push_back("notionVersion \"" + s.notionVersion + "\" is not a date like " +
                           kDatabasesVersion);
    } else if (s.generation == ApiGeneration::dataSources &&
               s.notionVersion < kDataSourcesVersion) {
        problems.push_back("dataSourceId needs notionVersion " + std::string(kDataSourcesVersion) +
                           " or later, not " + s.notionVersion);
    } else if (s.generation == ApiGeneration::databases && s.notionVersion >= kDataSourcesVersion) {
        problems.push_back("notionVersion " + s.notionVersion +
                           " uses data sources: set dataSourceId instead of databaseId");
    }
    std::string base = options.getString("baseUrl");
    if (base.empty())
        base = env("NOTION_BASE_URL").value_or(kDefaultBaseUrl);
    s.baseUrl = stripSlash(base);
    if (s.baseUrl.rfind("https://", 0) != 0 && s.baseUrl.rfind("http://", 0) != 0)
        problems.push_back("baseUrl \"" + s.baseUrl + "\" is not an http(s) URL");
    s.timeout = std::chrono::seconds(options.getInt("timeoutSeconds"));
    s.historyTimeout = std::chrono::seconds(options.getInt("historyTimeoutSeconds"));
    s.requestsPerSecond = options.getNumber("requestsPerSecond");
    const auto burst = options.getInt("burst");
    s.burst = burst > 0 ? static_cast<double>(burst) : std::max(1.0, s.requestsPerSecond);
    s.requireAtStart = options.getBool("requireAtStart");
    s.maxHistoryPages = static_cast<int>(options.getInt("maxHistoryPages"));
    s.mapping = PropertyMapping::fromOptions(options, problems);
    return s;
}

}  // namespace fp::notion
