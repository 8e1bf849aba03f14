// sink-jsonl: appends each result as one JSON line to a file, fsync'd, once per resultId.
// It can read a room's history back, so rooms come back with their history after a restart.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "firepoker/sdk/sink.hpp"

namespace fp::plugins::jsonl {

class JsonlSink final : public fp::sdk::Sink {
  public:
    explicit JsonlSink(const fp::sdk::PluginContext& context);
    ~JsonlSink() override;

    fp::sdk::Status start() override;
    void stop() override;
    fp::sdk::Readiness readiness() const override;

    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override;
    bool canReadHistory() const override { return true; }
    fp::sdk::HistoryResult readHistory(const std::string& roomId) override;

  private:
    bool openFile(std::string& error);
    void closeFile();

    std::string path_;
    bool fsync_;
    std::shared_ptr<fp::sdk::Logger> logger_;
    mutable std::mutex mutex_;
    int fd_ = -1;
    std::set<std::string> written_;  // resultIds already in the file
    std::string lastError_;
};

}  // namespace fp::plugins::jsonl
