// sink-webhook: POSTs each result as JSON to a URL, signed with HMAC-SHA256 under a secret
// from the environment. Receivers make it exactly-once by the result id.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "firepoker/sdk/sink.hpp"
#include "http_client.hpp"

namespace fp::webhook {

class WebhookSink final : public fp::sdk::Sink {
  public:
    explicit WebhookSink(const fp::sdk::PluginContext& context);

    // Run by the core at start-up and by --check-config: an http(s) url and a signing secret
    // of at least 16 characters (start() refuses the same, should a core skip this).
    static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options);

    fp::sdk::Status start() override;
    void stop() override;
    fp::sdk::DeliveryResult deliver(const std::string& resultId,
                                    const std::string& resultJson) override;

  private:
    void countAnswer(const sinks::HttpResponse& answer, double seconds);

    std::shared_ptr<fp::sdk::Logger> logger_;
    // fp_plugin_webhook_request_seconds and fp_plugin_webhook_responses_total{class}
    std::shared_ptr<fp::sdk::LatencyHistogram> requestSeconds_;
    std::map<std::string, std::shared_ptr<fp::sdk::Counter>> responsesByClass_;
    std::string url_;
    std::string secret_;  // never logged
    std::chrono::milliseconds timeout_;
    std::atomic<bool> stopping_{false};
    sinks::HttpClient client_;
};

}  // namespace fp::webhook
