// Sink: receives each finalized result; optionally reads a room's history back.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "firepoker/sdk/plugin.hpp"

namespace fp::sdk {

enum class DeliveryOutcome {
    delivered,  // stored (or already there: delivery is idempotent by resultId)
    retry,      // try again later (after retryAfter when set, else with backoff)
    failed,     // this record can never be delivered; keep it as failed for an operator
    paused,     // the sink cannot deliver anything now (bad credentials...); retry later
};

struct DeliveryResult {
    DeliveryOutcome outcome = DeliveryOutcome::delivered;
    std::chrono::milliseconds retryAfter{0};
    std::string reason;  // what went wrong, for logs and /readyz; never a secret
};

struct HistoryResult {
    Status status;
    std::vector<std::string> results;  // result JSON objects (same shape as delivered), any order
};

// deliver() is called from the core's delivery worker, one call at a time per sink instance.
class Sink : public Plugin {
  public:
    PluginKind kind() const override { return PluginKind::sink; }

    virtual DeliveryResult deliver(const std::string& resultId, const std::string& resultJson) = 0;
    virtual bool canReadHistory() const { return false; }
    virtual HistoryResult readHistory(const std::string& /*roomId*/) {
        return {Status::failure(StatusCode::invalid, "this sink cannot read history"), {}};
    }
};

}  // namespace fp::sdk
