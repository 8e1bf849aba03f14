// The metrics handle plugins get (PluginContext::metrics): what /metrics shows of it, and what
// it refuses without throwing into the plugin.
#include <catch2/catch.hpp>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "firepoker/testkit/recording_metrics.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/plugin_metrics.hpp"

using Catch::Matchers::Contains;

namespace {
class CapturingLogger final : public fp::sdk::Logger {
  public:
    void log(fp::sdk::LogLevel, std::string_view message) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines.emplace_back(message);
    }
    std::vector<std::string> lines;

  private:
    std::mutex mutex_;
};

struct PluginUnderTest {
    fp::metrics::MetricsRegistry registry;
    std::shared_ptr<CapturingLogger> logger = std::make_shared<CapturingLogger>();
    std::shared_ptr<fp::sdk::Metrics> handle(const std::string& instance) {
        return fp::metrics::pluginMetricsHandle(registry.pluginMetrics(), instance, logger);
    }
};
}  // namespace

TEST_CASE("plugin metrics appear at /metrics with the instance label", "[metrics][plugins]") {
    PluginUnderTest plugin;
    auto notion = plugin.handle("notion");
    auto sent = notion->counter("notion_pages_total", "pages written", {{"api", "2025-09-03"}});
    sent->increment();
    sent->increment(2);
    sent->increment(-5);  // ignored: a counter never goes down
    auto queue = notion->gauge("notion_queue", "requests waiting");
    queue->set(4);
    queue->add(-1.5);
    auto seconds = notion->latency("notion_request_seconds", "time per request");
    seconds->observe(0.003);
    seconds->observe(7);

    const auto text = plugin.registry.renderPrometheus();
    CHECK_THAT(text, Contains("# HELP fp_plugin_notion_pages_total pages written\n"
                              "# TYPE fp_plugin_notion_pages_total counter\n"
                              "fp_plugin_notion_pages_total{plugin_instance=\"notion\","
                              "api=\"2025-09-03\"} 3\n"));
    CHECK_THAT(text, Contains("# TYPE fp_plugin_notion_queue gauge\n"
                              "fp_plugin_notion_queue{plugin_instance=\"notion\"} 2.5\n"));
    CHECK_THAT(text, Contains("# TYPE fp_plugin_notion_request_seconds histogram\n"));
    CHECK_THAT(text, Contains("fp_plugin_notion_request_seconds_bucket{plugin_instance=\"notion\","
                              "le=\"0.005\"} 1\n"));
    CHECK_THAT(text, Contains("fp_plugin_notion_request_seconds_bucket{plugin_instance=\"notion\","
                              "le=\"+Inf\"} 2\n"));
    CHECK_THAT(text,
               Contains("fp_plugin_notion_request_seconds_count{plugin_instance=\"notion\"} 2\n"));
    CHECK(plugin.logger->lines.empty());
}

TEST_CASE("two instances of one plugin share a family, never a series", "[metrics][plugins]") {
    PluginUnderTest plugin;
    auto first = plugin.handle("team-a")->counter("rows_total", "rows written");
    auto second = plugin.handle("team \"b\"")->counter("rows_total", "rows written");
    auto firstAgain = plugin.handle("team-a")->counter("rows_total", "rows written");
    first->increment();
    firstAgain->increment();
    second->increment();
    const auto text = plugin.registry.renderPrometheus();
    CHECK_THAT(text, Contains("fp_plugin_rows_total{plugin_instance=\"team-a\"} 2\n"));
    CHECK_THAT(text, Contains("fp_plugin_rows_total{plugin_instance=\"team \\\"b\\\"\"} 1\n"));
    // One HELP/TYPE block for the family.
    CHECK(text.find("# TYPE fp_plugin_rows_total") == text.rfind("# TYPE fp_plugin_rows_total"));
}

TEST_CASE("a refused registration is logged and gives a handle that does nothing",
          "[metrics][plugins]") {
    PluginUnderTest plugin;
    auto metrics = plugin.handle("sink-x");
    metrics->gauge("rows", "rows")->set(1);
    struct Refusal {
        std::function<void()> registerIt;
        const char* why;
    };
    const std::vector<Refusal> refusals = {
        {[&] { metrics->counter("Rows_total", "h")->increment(); }, "is not of the form"},
        {[&] { metrics->counter("rows_written", "h")->increment(); }, "must end in _total"},
        {[&] { metrics->gauge("open_total", "h")->set(1); }, "is not a counter"},
        {[&] { metrics->latency("request_time", "h")->observe(1); }, "must end in _seconds"},
        {[&] { metrics->counter("rows", "h")->increment(); }, "must end in _total"},
        {[&] {
             metrics->latency("rows_seconds", "h", {{"le", "1"}})->observe(1);
         },
         "reserved"},
        {[&] {
             metrics->gauge("depth", "h", {{"plugin_instance", "x"}})->set(1);
         },
         "reserved"},
        {[&] {
             metrics->gauge("depth", "h", {{"a", "1"}, {"a", "2"}})->set(1);
         },
         "twice"},
        {[&] {
             metrics->gauge("depth", "h", {{"Bad-Label", "1"}})->set(1);
         },
         "label name"},
    };
    for (const auto& refusal : refusals) {
        plugin.logger->lines.clear();
        refusal.registerIt();
        REQUIRE(plugin.logger->lines.size() == 1);
        CHECK_THAT(plugin.logger->lines[0], Contains("metric refused"));
        CHECK_THAT(plugin.logger->lines[0], Contains(refusal.why));
    }
    SECTION("a name taken with another type") {
        plugin.logger->lines.clear();
        plugin.handle("other")->gauge("age_seconds", "h")->set(2);
        CHECK(plugin.logger->lines.empty());
        plugin.handle("other")->latency("age_seconds", "h")->observe(1);
        REQUIRE(plugin.logger->lines.size() == 1);
        CHECK_THAT(plugin.logger->lines[0],
                   Contains("\"age_seconds\" is already registered as a gauge, not a histogram"));
    }
    const auto text = plugin.registry.renderPrometheus();
    CHECK(text.find("Rows_total") == std::string::npos);
    CHECK(text.find("request_time") == std::string::npos);
    CHECK_THAT(text, Contains("fp_plugin_rows{plugin_instance=\"sink-x\"} 1\n"));
}

TEST_CASE("an instance may not register more series than the limit", "[metrics][plugins]") {
    PluginUnderTest plugin;
    auto metrics = plugin.handle("greedy");
    for (std::size_t i = 0; i < fp::sdk::kMaxMetricSeriesPerInstance; ++i)
        metrics->counter("by_room_total", "h", {{"room", std::to_string(i)}})->increment();
    CHECK(plugin.logger->lines.empty());
    metrics->counter("by_room_total", "h", {{"room", "one-too-many"}})->increment();
    REQUIRE(plugin.logger->lines.size() == 1);
    CHECK_THAT(plugin.logger->lines[0], Contains("greedy already has 200 series"));
    // Another instance has its own budget; a series already made is still handed out.
    plugin.handle("modest")->counter("by_room_total", "h", {{"room", "0"}})->increment();
    metrics->counter("by_room_total", "h", {{"room", "0"}})->increment();
    CHECK(plugin.logger->lines.size() == 1);
    const auto text = plugin.registry.renderPrometheus();
    CHECK_THAT(text,
               Contains("fp_plugin_by_room_total{plugin_instance=\"greedy\",room=\"0\"} 2\n"));
    CHECK(text.find("one-too-many") == std::string::npos);
}

TEST_CASE("plugin counters lose no update under concurrent increments", "[metrics][plugins]") {
    PluginUnderTest plugin;
    auto counter = plugin.handle("busy")->counter("events_total", "h");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counter] {
            for (int i = 0; i < 25000; ++i)
                counter->increment();
        });
    }
    for (auto& thread : threads)
        thread.join();
    CHECK_THAT(plugin.registry.renderPrometheus(),
               Contains("fp_plugin_events_total{plugin_instance=\"busy\"} 100000\n"));
}

TEST_CASE("the testkit's metrics record, and throw where the server would refuse",
          "[metrics][plugins][testkit]") {
    fp::testkit::RecordingMetrics metrics;
    metrics.counter("rows_total", "rows", {{"kind", "a"}})->increment(2);
    metrics.gauge("depth", "depth")->set(3);
    metrics.latency("write_seconds", "write")->observe(0.25);
    CHECK(metrics.value("rows_total", {{"kind", "a"}}) == 2);
    CHECK(metrics.value("depth") == 3);
    CHECK(metrics.observations("write_seconds") == 1);
    CHECK(metrics.observedSeconds("write_seconds") == Approx(0.25));
    CHECK_FALSE(metrics.has("rows_total"));  // only with its labels
    CHECK_THROWS_WITH(metrics.value("nothing"), Contains("no metric \"nothing\""));
    CHECK_THROWS_WITH(metrics.counter("rows", "rows"), Contains("must end in _total"));
    CHECK_THROWS_WITH(metrics.gauge("rows_total", "rows"), Contains("ends in _total"));
    CHECK_THROWS_WITH(metrics.gauge("write_seconds", "w"), Contains("another type"));
    CHECK_THROWS_WITH(metrics.gauge("quiet", ""), Contains("no help text"));
}
