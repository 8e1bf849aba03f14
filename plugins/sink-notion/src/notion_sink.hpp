// sink-notion: one row per finalized result in a Notion database (or data source), exactly
// once in effect: the row is found by its Result ID before creating, and after any outcome
// that is unknown, and updated instead of duplicated. Reads a room's history back from the
// stored result JSON.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "firepoker/sdk/sink.hpp"
#include "http_client.hpp"
#include "notion_api.hpp"
#include "notion_settings.hpp"
#include "request_pacer.hpp"

namespace fp::notion {

class NotionSink final : public fp::sdk::Sink {
  public:
    explicit NotionSink(const fp::sdk::PluginContext& context);
    // For tests: the environment comes from `env` instead of the process.
    NotionSink(const fp::sdk::PluginContext& context, const EnvLookup& env);
    ~NotionSink() override;

    // Run by the core at start-up and by --check-config before any object is made: everything
    // readSettings finds (token present and well-formed, exactly one well-formed id, version,
    // base URL, mapping types), so a config that cannot start is refused with exit code 2.
    static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options);

    fp::sdk::Status start() override;
    void stop() override;
    fp::sdk::Readiness readiness() const override;

    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override;
    bool canReadHistory() const override;
    fp::sdk::HistoryResult readHistory(const std::string& roomId) override;

  private:
    struct Found {
        bool answered = false;  // false: `failure` says why
        std::string pageId;     // empty: no row yet
        fp::sdk::DeliveryResult failure;
    };
    // Reads the schema and compares the mapping. Returns a failure only for problems that
    // retrying cannot fix (a mapping that does not match), `unavailable` otherwise.
    fp::sdk::Status verifySchema(std::chrono::milliseconds timeout);
    Found findPage(const std::string& resultId);
    void rememberPage(const std::string& resultId, const std::string& pageId);
    std::string knownPage(const std::string& resultId) const;
    void setNotReady(const std::string& reason);
    std::chrono::milliseconds afterTimeout() const;

    std::shared_ptr<fp::sdk::Logger> logger_;
    std::string instance_;
    std::vector<std::string> settingsProblems_;
    NotionSettings settings_;
    std::atomic<bool> stopping_{false};
    sinks::RequestPacer pacer_;
    NotionApi api_;
    sinks::HttpClient client_;  // deliveries only (one at a time, by the SDK's contract)

    std::atomic<bool> schemaVerified_{false};
    mutable std::mutex stateMutex_;
    std::string notReadyReason_;
    std::map<std::string, std::string> pages_;  // resultId -> page id, once known
};

}  // namespace fp::notion
