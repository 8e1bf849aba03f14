// The metrics handle contextFor() puts in a PluginContext: it keeps what a plugin reports so a
// test can check it, and it refuses what the server refuses, loudly. The server logs a refused
// registration and hands out a handle that does nothing; here the registration throws
// std::invalid_argument, so the mistake fails a test instead of silently losing a metric.
//
//   auto context = fp::testkit::contextFor(myManifest(), {});
//   MySink sink(context);
//   sink.deliver("r1", json);
//   CHECK(fp::testkit::recordedMetrics(context).value("mine_written_total") == 1);
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "firepoker/sdk/metrics.hpp"
#include "firepoker/sdk/plugin.hpp"

namespace fp::testkit {

class RecordingMetrics final : public fp::sdk::Metrics {
  public:
    using fp::sdk::Metrics::counter;
    using fp::sdk::Metrics::gauge;
    using fp::sdk::Metrics::latency;

    std::shared_ptr<fp::sdk::Counter> counter(const std::string& name, const std::string& help,
                                              const fp::sdk::MetricLabels& labels) override {
        return series(fp::sdk::MetricType::counter, name, help, labels);
    }
    std::shared_ptr<fp::sdk::Gauge> gauge(const std::string& name, const std::string& help,
                                          const fp::sdk::MetricLabels& labels) override {
        return series(fp::sdk::MetricType::gauge, name, help, labels);
    }
    std::shared_ptr<fp::sdk::LatencyHistogram> latency(
        const std::string& name, const std::string& help,
        const fp::sdk::MetricLabels& labels) override {
        return series(fp::sdk::MetricType::latency, name, help, labels);
    }

    bool has(const std::string& name, const fp::sdk::MetricLabels& labels = {}) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return series_.count({name, labels}) > 0;
    }
    // A counter's or gauge's value. Throws std::out_of_range when it was never registered.
    double value(const std::string& name, const fp::sdk::MetricLabels& labels = {}) const {
        return find(name, labels).value.load();
    }
    // How many durations a latency histogram has observed, and their sum in seconds.
    std::uint64_t observations(const std::string& name,
                               const fp::sdk::MetricLabels& labels = {}) const {
        return find(name, labels).observations.load();
    }
    double observedSeconds(const std::string& name,
                           const fp::sdk::MetricLabels& labels = {}) const {
        return find(name, labels).value.load();
    }

  private:
    struct Series final : fp::sdk::Counter, fp::sdk::Gauge, fp::sdk::LatencyHistogram {
        void increment(double amount) override {
            if (amount > 0)
                add(amount);
        }
        void set(double v) override { value.store(v); }
        void add(double delta) override {
            double current = value.load();
            while (!value.compare_exchange_weak(current, current + delta)) {
            }
        }
        void observe(double seconds) override {
            observations.fetch_add(1);
            add(seconds);
        }
        std::atomic<double> value{0.0};
        std::atomic<std::uint64_t> observations{0};
    };
    using Key = std::pair<std::string, fp::sdk::MetricLabels>;

    std::shared_ptr<Series> series(fp::sdk::MetricType type, const std::string& name,
                                   const std::string& help, const fp::sdk::MetricLabels& labels) {
        if (auto problem = fp::sdk::metricProblem(type, name, labels); !problem.empty())
            throw std::invalid_argument("the server would refuse this metric: " + problem);
        if (help.empty())
            throw std::invalid_argument("metric \"" + name + "\" has no help text");
        std::lock_guard<std::mutex> lock(mutex_);
        auto known = types_.emplace(name, type).first->second;
        if (known != type)
            throw std::invalid_argument("the server would refuse this metric: \"" + name +
                                        "\" is already registered with another type");
        auto& slot = series_[{name, labels}];
        if (!slot) {
            if (series_.size() > fp::sdk::kMaxMetricSeriesPerInstance)
                throw std::invalid_argument("the server would refuse metric \"" + name +
                                            "\": more series than an instance may have");
            slot = std::make_shared<Series>();
        }
        return slot;
    }
    const Series& find(const std::string& name, const fp::sdk::MetricLabels& labels) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = series_.find({name, labels});
        if (it == series_.end())
            throw std::out_of_range("no metric \"" + name + "\" with these labels was registered");
        return *it->second;
    }

    mutable std::mutex mutex_;
    std::map<std::string, fp::sdk::MetricType> types_;
    std::map<Key, std::shared_ptr<Series>> series_;
};

// The RecordingMetrics of a context made by contextFor(). Throws std::logic_error otherwise.
inline RecordingMetrics& recordedMetrics(const fp::sdk::PluginContext& context) {
    auto* recording = dynamic_cast<RecordingMetrics*>(context.metrics.get());
    if (!recording)
        throw std::logic_error("this PluginContext was not made by fp::testkit::contextFor");
    return *recording;
}

}  // namespace fp::testkit
