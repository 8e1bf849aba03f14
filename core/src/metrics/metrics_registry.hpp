// The server's metrics, rendered in Prometheus text format at /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "metrics/plugin_metrics.hpp"
#include "room/error_code.hpp"

namespace fp::metrics {

// A histogram with fixed buckets, lock-free to observe.
class LatencyHistogram {
  public:
    static constexpr std::array<double, 14> kBounds = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
    void observe(double seconds);
    void render(std::string& out, const std::string& name, const std::string& help) const;
    // The sample lines only; `labels` is "" or label text such as `a="1",b="2"`.
    void renderSeries(std::string& out, const std::string& name, const std::string& labels) const;

  private:
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> counts_{};
    std::atomic<std::uint64_t> sumMicros_{0};
};

class MetricsRegistry {
  public:
    std::atomic<std::int64_t> connections{0};
    std::atomic<std::int64_t> roomsWithLocalConnections{0};
    std::atomic<std::uint64_t> messagesReceived{0};
    std::atomic<std::uint64_t> messagesSent{0};
    std::atomic<std::uint64_t> commits{0};
    std::atomic<std::uint64_t> commitConflicts{0};
    LatencyHistogram fanoutLatency;

    // An `error` message sent to a client (every code is shown, at 0 until it happens, so
    // alarms on a code have a series from the start).
    void countError(room::ErrorCode code);
    void countDelivery(const std::string& sink, const std::string& outcome);

    // Values read at render time from elsewhere (outbox depth...): name -> getter.
    void setGauge(const std::string& name, const std::string& help, std::function<double()> read);
    // A gauge with one label: read() gives label value -> gauge value, e.g.
    // fp_sink_paused{sink="notion"} 1.
    void setGaugeFamily(const std::string& name, const std::string& help,
                        const std::string& labelName,
                        std::function<std::map<std::string, double>()> read);
    // Makes fp_sink_deliveries_total{sink,outcome} show 0 before the first delivery.
    void declareDelivery(const std::string& sink, const std::string& outcome);

    std::string renderPrometheus() const;

    // What plugins register through their PluginContext::metrics; shared with their handles,
    // which may outlive this registry during shutdown.
    const std::shared_ptr<PluginMetricFamilies>& pluginMetrics() const { return pluginMetrics_; }

  private:
    std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(room::ErrorCode::internal) + 1>
        errorsByCode_{};
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> deliveries_;
    struct Gauge {
        std::string help;
        std::function<double()> read;
    };
    std::map<std::string, Gauge> gauges_;
    struct GaugeFamily {
        std::string help;
        std::string labelName;
        std::function<std::map<std::string, double>()> read;
    };
    std::map<std::string, GaugeFamily> gaugeFamilies_;
    std::shared_ptr<PluginMetricFamilies> pluginMetrics_ = std::make_shared<PluginMetricFamilies>();
};

}  // namespace fp::metrics
