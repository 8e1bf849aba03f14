// sink-markdown: writes each finalized result as one Markdown file, <folder>/<resultId>.md.
// Idempotent by result id without any memory: a result whose file exists is already
// delivered (the file appears only complete, by rename).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/sink.hpp"

namespace fp::examples::markdown {

// The plugin's manifest: name, version, options (used by plugin_entry.cpp and the tests).
fp::sdk::Manifest manifest();

class MarkdownSink final : public fp::sdk::Sink {
  public:
    // Options are already validated by the server (types, ranges, defaults filled in).
    explicit MarkdownSink(const fp::sdk::PluginContext& context);

    fp::sdk::Status start() override;
    fp::sdk::Readiness readiness() const override;
    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override;

    const std::filesystem::path& folder() const { return folder_; }

  private:
    // Writes the page next to its final name, flushes it, then renames it into place. On
    // failure says why in `error` and returns the errno that decides the outcome.
    int writeAtomically(const std::filesystem::path& target, const std::string& page,
                        std::string& error);
    // `code`: the errno of the failure, 0 when writing works; a change of it is logged.
    void setLastError(std::string error, int code);

    std::filesystem::path folder_;
    std::shared_ptr<fp::sdk::Logger> logger_;
    // fp_plugin_markdown_files_written_total{plugin_instance="<name>"} at the server's /metrics.
    std::shared_ptr<fp::sdk::Counter> filesWritten_;
    mutable std::mutex mutex_;
    std::string lastError_;  // what the last failed write said, for readiness; "" when fine
    int lastErrorCode_ = 0;
};

}  // namespace fp::examples::markdown
