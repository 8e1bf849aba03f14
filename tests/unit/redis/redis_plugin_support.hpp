// Makes storage-redis and bus-redis objects directly (linked, not loaded) with their
// manifest's defaults and a few overrides, for the Redis-specific tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/plugin.hpp"

namespace fp::testing {

using Overrides = std::map<std::string, fp::sdk::OptionValue>;

// Every option of the manifest with its default, then the overrides.
fp::sdk::PluginContext contextFor(const fp::sdk::Manifest& manifest, const Overrides& overrides);

// Keeps every line a plugin logs.
class CapturingLogger final : public fp::sdk::Logger {
  public:
    void log(fp::sdk::LogLevel level, std::string_view message) override;
    std::vector<std::string> lines() const;
    bool contains(const std::string& text) const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// Records what a bus delivers.
class BusRecorder final : public fp::sdk::BusListener {
  public:
    struct State {
        std::string roomId;
        std::uint64_t version;
        std::string payload;
    };
    void onRoomState(const std::string& roomId, std::uint64_t version,
                     const std::string& payload) override;
    void onResync() override;
    std::vector<State> states() const;
    int resyncs() const;

  private:
    mutable std::mutex mutex_;
    std::vector<State> states_;
    int resyncs_ = 0;
};

// Polls `condition` every 10 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace fp::testing
