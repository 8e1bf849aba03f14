#include "metrics/metrics_registry.hpp"

#include "metrics/prometheus_text.hpp"

namespace fp::metrics {

void LatencyHistogram::observe(double seconds) {
    std::size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i])
        ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void LatencyHistogram::render(std::string& out, const std::string& name,
                              const std::string& help) const {
    prometheusHeader(out, name, "histogram", help);
    renderSeries(out, name, "");
}

void LatencyHistogram::renderSeries(std::string& out, const std::string& name,
                                    const std::string& labels) const {
    const std::string before = labels.empty() ? "{" : "{" + labels + ",";
    const std::string plain = labels.empty() ? "" : "{" + labels + "}";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += counts_[i].load(std::memory_order_relaxed);
        out += name + "_bucket" + before + "le=\"" + prometheusNumber(kBounds[i]) + "\"} " +
               std::to_string(cumulative) + "\n";
    }
    cumulative += counts_[kBounds.size()].load(std::memory_order_relaxed);
    out += name + "_bucket" + before + "le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
    out += name + "_sum" + plain + " " +
           prometheusNumber(static_cast<double>(sumMicros_.load()) / 1e6) + "\n";
    out += name + "_count" + plain + " " + std::to_string(cumulative) + "\n";
}

void MetricsRegistry::countError(room::ErrorCode code) {
    errorsByCode_[static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed);
}

void MetricsRegistry::countDelivery(const std::string& sink, const std::string& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++deliveries_[{sink, outcome}];
}

void MetricsRegistry::setGauge(const std::string& name, const std::string& help,
                               std::function<double()> read) {
    std::lock_guard<std::mutex> lock(mutex_);
    gauges_[name] = Gauge{help, std::move(read)};
}

void MetricsRegistry::setGaugeFamily(const std::string& name, const std::string& help,
                                     const std::string& labelName,
                                     std::function<std::map<std::string, double>()> read) {
    std::lock_guard<std::mutex> lock(mutex_);
    gaugeFamilies_[name] = GaugeFamily{help, labelName, std::move(read)};
}

void MetricsRegistry::declareDelivery(const std::string& sink, const std::string& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    deliveries_[{sink, outcome}];
}

std::string MetricsRegistry::renderPrometheus() const {
    std::string out;
    prometheusHeader(out, "fp_connections", "gauge", "open WebSocket connections on this instance");
    out += "fp_connections " + std::to_string(connections.load()) + "\n";
    prometheusHeader(out, "fp_rooms", "gauge", "rooms with local connections");
    out += "fp_rooms " + std::to_string(roomsWithLocalConnections.load()) + "\n";
    prometheusHeader(out, "fp_messages_received_total", "counter", "client messages received");
    out += "fp_messages_received_total " + std::to_string(messagesReceived.load()) + "\n";
    prometheusHeader(out, "fp_messages_sent_total", "counter", "messages sent to clients");
    out += "fp_messages_sent_total " + std::to_string(messagesSent.load()) + "\n";
    prometheusHeader(out, "fp_room_commits_total", "counter",
                     "room changes committed by this instance");
    out += "fp_room_commits_total " + std::to_string(commits.load()) + "\n";
    prometheusHeader(out, "fp_room_commit_conflicts_total", "counter",
                     "compare-and-swap conflicts retried by this instance");
    out += "fp_room_commit_conflicts_total " + std::to_string(commitConflicts.load()) + "\n";
    fanoutLatency.render(out, "fp_fanout_latency_seconds",
                         "from a change being committed to its state being queued to every socket");

    prometheusHeader(out, "fp_errors_total", "counter", "error messages sent to clients, by code");
    for (const auto code : room::kAllErrorCodes) {
        out += "fp_errors_total{code=\"" + std::string(room::wireName(code)) + "\"} " +
               std::to_string(errorsByCode_[static_cast<std::size_t>(code)].load()) + "\n";
    }
    std::lock_guard<std::mutex> lock(mutex_);
    prometheusHeader(out, "fp_sink_deliveries_total", "counter",
                     "delivery attempts to sinks, by outcome");
    for (const auto& [key, count] : deliveries_) {
        out += "fp_sink_deliveries_total{sink=\"" + prometheusLabelValue(key.first) +
               "\",outcome=\"" + prometheusLabelValue(key.second) + "\"} " + std::to_string(count) +
               "\n";
    }
    for (const auto& [name, gauge] : gauges_) {
        prometheusHeader(out, name, "gauge", gauge.help);
        out += name + " " + prometheusNumber(gauge.read()) + "\n";
    }
    for (const auto& [name, family] : gaugeFamilies_) {
        prometheusHeader(out, name, "gauge", family.help);
        for (const auto& [labelValue, value] : family.read()) {
            out += name + "{" + family.labelName + "=\"" + prometheusLabelValue(labelValue) +
                   "\"} " + prometheusNumber(value) + "\n";
        }
    }
    pluginMetrics_->renderPrometheus(out);
    return out;
}

}  // namespace fp::metrics
