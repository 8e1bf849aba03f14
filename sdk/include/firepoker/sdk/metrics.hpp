// The metrics handle the core hands to each plugin instance (PluginContext::metrics). What a
// plugin registers appears at the server's /metrics (and in its OTLP export) as
//   fp_plugin_<name>{plugin_instance="<config name of the instance>",<your labels>}
// so two instances of one plugin never mix, and nothing of a plugin can shadow a core metric.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fp::sdk {

// Label name -> value, in the order they are shown. Values are free text (escaped by the core).
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Every handle is thread-safe and cheap to update (no lock on the update path); keep it and
// update it from any thread. Handles stay valid for as long as you hold them.
class Counter {
  public:
    virtual ~Counter() = default;
    // A negative amount is ignored: a counter never goes down.
    virtual void increment(double amount = 1.0) = 0;
};

class Gauge {
  public:
    virtual ~Gauge() = default;
    virtual void set(double value) = 0;
    virtual void add(double delta) = 0;
};

// Durations in seconds, in the core's fixed buckets (0.5 ms ... 5 s, then +Inf).
class LatencyHistogram {
  public:
    virtual ~LatencyHistogram() = default;
    virtual void observe(double seconds) = 0;
};

enum class MetricType { counter, gauge, latency };

// Registration never fails and never throws: a refused registration (see metricProblem) is
// logged with the plugin's name and returns a handle that does nothing. Registering the same
// name and labels again returns the same series. Register in the constructor or start().
class Metrics {
  public:
    virtual ~Metrics() = default;
    virtual std::shared_ptr<Counter> counter(const std::string& name, const std::string& help,
                                             const MetricLabels& labels) = 0;
    virtual std::shared_ptr<Gauge> gauge(const std::string& name, const std::string& help,
                                         const MetricLabels& labels) = 0;
    virtual std::shared_ptr<LatencyHistogram> latency(const std::string& name,
                                                      const std::string& help,
                                                      const MetricLabels& labels) = 0;

    std::shared_ptr<Counter> counter(const std::string& name, const std::string& help) {
        return counter(name, help, {});
    }
    std::shared_ptr<Gauge> gauge(const std::string& name, const std::string& help) {
        return gauge(name, help, {});
    }
    std::shared_ptr<LatencyHistogram> latency(const std::string& name, const std::string& help) {
        return latency(name, help, {});
    }
};

// The limits of a plugin's metrics, the same in the server and in the testkit.
inline constexpr std::size_t kMaxMetricLabels = 8;
inline constexpr std::size_t kMaxMetricSeriesPerInstance = 200;  // against label explosions

namespace detail {
inline bool isMetricIdentifier(const std::string& text) {
    if (text.empty() || text.size() > 100 || text[0] < 'a' || text[0] > 'z')
        return false;
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}
inline bool endsWith(const std::string& text, const char* suffix) {
    const std::string s(suffix);
    return text.size() > s.size() && text.compare(text.size() - s.size(), s.size(), s) == 0;
}
}  // namespace detail

// Why a registration is refused, or "" when it is fine: names and label names are lower-case
// [a-z][a-z0-9_]* (at most 100 characters); a counter's name ends in "_total" and a latency's in
// "_seconds" (Prometheus conventions); at most kMaxMetricLabels labels, each named once, none
// named "plugin_instance" (the core's) or "le" (the histogram buckets').
inline std::string metricProblem(MetricType type, const std::string& name,
                                 const MetricLabels& labels) {
    if (!detail::isMetricIdentifier(name))
        return "metric name \"" + name + "\" is not of the form [a-z][a-z0-9_]* (1-100 characters)";
    if (type == MetricType::counter && !detail::endsWith(name, "_total"))
        return "counter \"" + name + "\" must end in _total";
    if (type == MetricType::latency && !detail::endsWith(name, "_seconds"))
        return "latency histogram \"" + name + "\" must end in _seconds";
    if (type != MetricType::counter && detail::endsWith(name, "_total"))
        return "metric \"" + name + "\" ends in _total but is not a counter";
    if (labels.size() > kMaxMetricLabels)
        return "metric \"" + name + "\" has " + std::to_string(labels.size()) +
               " labels; at most " + std::to_string(kMaxMetricLabels) + " are allowed";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string& label = labels[i].first;
        if (!detail::isMetricIdentifier(label))
            return "label name \"" + label + "\" of metric \"" + name +
                   "\" is not of the form [a-z][a-z0-9_]*";
        if (label == "plugin_instance" || label == "le")
            return "label name \"" + label + "\" of metric \"" + name + "\" is reserved";
        for (std::size_t j = 0; j < i; ++j) {
            if (labels[j].first == label)
                return "label \"" + label + "\" appears twice in metric \"" + name + "\"";
        }
    }
    return {};
}

}  // namespace fp::sdk
