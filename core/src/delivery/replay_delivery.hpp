// Delivers one result to one sink for a replay of the result log, with the delivery rules of
// the server (config `delivery`): at most `maxAttempts` attempts, backoff doubling from
// `initialBackoffMs` with jitter up to `maxBackoffMs`, the sink's Retry-After when it gives
// one, and `requestsPerSecond` per sink. Idempotency is the sink's own (Notion's lookup by
// Result ID, sink-jsonl's result ids, the webhook receiver's id), so a result delivered before
// is not written twice.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "config/app_config.hpp"
#include "delivery/rate_limiter.hpp"
#include "firepoker/sdk/sink.hpp"

namespace fp::delivery {

class ReplayDeliverer {
  public:
    struct Outcome {
        bool delivered = false;
        std::uint32_t attempts = 0;
        std::string detail;  // delivered: the sink's note ("already written"); else why not
    };
    using Sleep = std::function<void(std::chrono::milliseconds)>;
    // Told before each wait: "attempt 2 of r_1 to notion in 1.4 s: HTTP 503 ...".
    using Progress = std::function<void(const std::string&)>;

    ReplayDeliverer(config::DeliverySettings settings, Progress progress, Sleep sleep = {});

    // `sink` must stay alive while this object is used.
    void addSink(const std::string& name, fp::sdk::Sink& sink);
    // A sink that cannot be used (it failed to start): every delivery to it fails with `why`.
    void disableSink(const std::string& name, const std::string& why);

    Outcome deliver(const std::string& sinkName, const std::string& resultId,
                    const std::string& record);

  private:
    struct SinkState {
        fp::sdk::Sink* sink = nullptr;
        RateLimiter limiter;
        std::string disabled;  // non-empty: why nothing is tried any more
    };

    config::DeliverySettings settings_;
    Progress progress_;
    Sleep sleep_;
    std::map<std::string, SinkState> sinks_;
};

}  // namespace fp::delivery
