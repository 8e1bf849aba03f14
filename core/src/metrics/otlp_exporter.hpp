// Periodic export of the server's metrics to an OpenTelemetry collector: OTLP over HTTP with
// the JSON encoding (POST <endpoint>, Content-Type application/json).
//
// The source of truth stays the Prometheus text of /metrics: the exporter parses it and maps
// each family to an OTLP metric (gauge -> gauge, counter -> cumulative monotonic sum without
// the "_total" suffix, histogram -> cumulative explicit-bucket histogram), so the two views can
// never disagree and a new metric is exported without touching this file.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fp::metrics {

// One metric family read from Prometheus text format.
struct PromSample {
    std::string name;                           // full sample name (e.g. x_bucket, x_sum)
    std::map<std::string, std::string> labels;  // unescaped
    double value = 0;
    std::string text;  // the value as written, to keep integers exact
};

struct PromFamily {
    std::string name;
    std::string type = "untyped";  // counter, gauge, histogram, summary, untyped
    std::string help;
    std::vector<PromSample> samples;
};

// Families in the order they first appear. Lines that cannot be parsed are skipped.
std::vector<PromFamily> parsePrometheusText(const std::string& text);

struct OtlpResource {
    std::string serviceName = "fire-poker";
    std::string serviceVersion;
    std::string instanceId;
};

// The body of one OTLP/HTTP JSON export request (ExportMetricsServiceRequest).
std::string buildOtlpMetricsJson(const std::vector<PromFamily>& families,
                                 const OtlpResource& resource, std::uint64_t startUnixNano,
                                 std::uint64_t nowUnixNano);

struct OtlpExporterSettings {
    std::string endpoint;  // http://host:port/v1/metrics; a URL without a path gets /v1/metrics
    std::chrono::milliseconds interval{60000};
    std::chrono::milliseconds timeout{10000};
    OtlpResource resource;
};

class OtlpExporter {
  public:
    // source renders the Prometheus text (MetricsRegistry::renderPrometheus).
    OtlpExporter(OtlpExporterSettings settings, std::function<std::string()> source,
                 std::shared_ptr<spdlog::logger> logger);
    ~OtlpExporter();
    OtlpExporter(const OtlpExporter&) = delete;
    OtlpExporter& operator=(const OtlpExporter&) = delete;

    // Exports every interval on its own thread until stop().
    void start();
    // Stops the thread, then sends one last export (bounded by the timeout).
    void stop();

    // One export now, on the calling thread. Returns true when the collector answered 2xx.
    bool exportOnce();

    // The URL actually posted to (a missing path becomes /v1/metrics).
    const std::string& url() const { return url_; }
    std::uint64_t succeeded() const { return succeeded_.load(); }
    std::uint64_t failed() const { return failed_.load(); }

    // "" when endpoint is usable, else what is wrong with it (for config validation).
    static std::string checkEndpoint(const std::string& endpoint);

  private:
    void run();

    OtlpExporterSettings settings_;
    std::function<std::string()> source_;
    std::shared_ptr<spdlog::logger> logger_;
    std::string url_;
    std::uint64_t startUnixNano_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool lastFailed_ = false;
    std::thread thread_;
    std::atomic<std::uint64_t> succeeded_{0};
    std::atomic<std::uint64_t> failed_{0};
};

}  // namespace fp::metrics
