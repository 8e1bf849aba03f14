#include "metrics/plugin_metrics.hpp"

#include <atomic>

#include "metrics/metrics_registry.hpp"
#include "metrics/prometheus_text.hpp"

namespace fp::metrics {

// One series; it is all three handle types so a family stores one kind of object, and the
// family's type decides which interface is handed out.
class PluginMetricSeries final : public fp::sdk::Counter,
                                 public fp::sdk::Gauge,
                                 public fp::sdk::LatencyHistogram {
  public:
    explicit PluginMetricSeries(fp::sdk::MetricType type) : type_(type) {}

    void increment(double amount) override {
        if (amount > 0)
            addToValue(amount);
    }
    void set(double value) override { value_.store(value, std::memory_order_relaxed); }
    void add(double delta) override { addToValue(delta); }
    void observe(double seconds) override { histogram_.observe(seconds); }

    void render(std::string& out, const std::string& name, const std::string& labels) const {
        if (type_ == fp::sdk::MetricType::latency) {
            histogram_.renderSeries(out, name, labels);
            return;
        }
        out += name + "{" + labels + "} " + prometheusNumber(value_.load()) + "\n";
    }

  private:
    void addToValue(double delta) {
        double current = value_.load(std::memory_order_relaxed);
        while (!value_.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
        }
    }

    fp::sdk::MetricType type_;
    std::atomic<double> value_{0.0};
    metrics::LatencyHistogram histogram_;
};

namespace {
const char* typeName(fp::sdk::MetricType type) {
    switch (type) {
        case fp::sdk::MetricType::counter:
            return "counter";
        case fp::sdk::MetricType::gauge:
            return "gauge";
        case fp::sdk::MetricType::latency:
            return "histogram";
    }
    return "untyped";
}

class NoopSeries final : public fp::sdk::Counter,
                         public fp::sdk::Gauge,
                         public fp::sdk::LatencyHistogram {
  public:
    void increment(double) override {}
    void set(double) override {}
    void add(double) override {}
    void observe(double) override {}
};

class PluginMetrics final : public fp::sdk::Metrics {
  public:
    PluginMetrics(std::shared_ptr<PluginMetricFamilies> families, std::string instanceName,
                  std::shared_ptr<fp::sdk::Logger> logger)
        : families_(std::move(families)),
          instanceName_(std::move(instanceName)),
          logger_(std::move(logger)) {}

    using fp::sdk::Metrics::counter;
    using fp::sdk::Metrics::gauge;
    using fp::sdk::Metrics::latency;

    std::shared_ptr<fp::sdk::Counter> counter(const std::string& name, const std::string& help,
                                              const fp::sdk::MetricLabels& labels) override {
        if (auto series = make(fp::sdk::MetricType::counter, name, help, labels))
            return series;
        return noop_;
    }
    std::shared_ptr<fp::sdk::Gauge> gauge(const std::string& name, const std::string& help,
                                          const fp::sdk::MetricLabels& labels) override {
        if (auto series = make(fp::sdk::MetricType::gauge, name, help, labels))
            return series;
        return noop_;
    }
    std::shared_ptr<fp::sdk::LatencyHistogram> latency(
        const std::string& name, const std::string& help,
        const fp::sdk::MetricLabels& labels) override {
        if (auto series = make(fp::sdk::MetricType::latency, name, help, labels))
            return series;
        return noop_;
    }

  private:
    std::shared_ptr<PluginMetricSeries> make(fp::sdk::MetricType type, const std::string& name,
                                             const std::string& help,
                                             const fp::sdk::MetricLabels& labels) {
        std::string problem;
        auto series = families_->series(type, instanceName_, name, help, labels, problem);
        if (!series && logger_)
            logger_->error("metric refused, updates to it are dropped: " + problem);
        return series;
    }

    std::shared_ptr<PluginMetricFamilies> families_;
    std::string instanceName_;
    std::shared_ptr<fp::sdk::Logger> logger_;
    std::shared_ptr<NoopSeries> noop_ = std::make_shared<NoopSeries>();
};
}  // namespace

std::shared_ptr<PluginMetricSeries> PluginMetricFamilies::series(
    fp::sdk::MetricType type, const std::string& instance, const std::string& name,
    const std::string& help, const fp::sdk::MetricLabels& labels, std::string& problem) {
    problem = fp::sdk::metricProblem(type, name, labels);
    if (!problem.empty())
        return nullptr;
    const std::string exported = "fp_plugin_" + name;
    std::string labelText = "plugin_instance=\"" + prometheusLabelValue(instance) + "\"";
    for (const auto& [key, value] : labels)
        labelText += "," + key + "=\"" + prometheusLabelValue(value) + "\"";

    std::lock_guard<std::mutex> lock(mutex_);
    auto [familyIt, newFamily] = families_.try_emplace(exported, Family{type, help, {}});
    Family& family = familyIt->second;
    if (!newFamily && family.type != type) {
        problem = "metric \"" + name + "\" is already registered as a " + typeName(family.type) +
                  ", not a " + typeName(type);
        return nullptr;
    }
    if (auto it = family.series.find(labelText); it != family.series.end())
        return it->second;
    std::size_t& count = seriesPerInstance_[instance];
    if (count >= fp::sdk::kMaxMetricSeriesPerInstance) {
        problem = "metric \"" + name + "\": plugin instance " + instance + " already has " +
                  std::to_string(count) +
                  " series, the most allowed (labels with unbounded "
                  "values, such as room ids, do not belong in metrics)";
        if (newFamily)
            families_.erase(familyIt);
        return nullptr;
    }
    ++count;
    auto series = std::make_shared<PluginMetricSeries>(type);
    family.series.emplace(labelText, series);
    return series;
}

void PluginMetricFamilies::renderPrometheus(std::string& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, family] : families_) {
        prometheusHeader(out, name, typeName(family.type), family.help);
        for (const auto& [labels, series] : family.series)
            series->render(out, name, labels);
    }
}

std::shared_ptr<fp::sdk::Metrics> pluginMetricsHandle(
    std::shared_ptr<PluginMetricFamilies> families, std::string instanceName,
    std::shared_ptr<fp::sdk::Logger> logger) {
    return std::make_shared<PluginMetrics>(std::move(families), std::move(instanceName),
                                           std::move(logger));
}

}  // namespace fp::metrics
