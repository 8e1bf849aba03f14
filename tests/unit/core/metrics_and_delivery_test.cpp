#include <catch2/catch.hpp>

#include "delivery/outbox_worker.hpp"
#include "delivery/rate_limiter.hpp"
#include "http/api_routes.hpp"
#include "metrics/metrics_registry.hpp"

using Catch::Matchers::Contains;

TEST_CASE("metrics render every name operators rely on", "[metrics]") {
    fp::metrics::MetricsRegistry metrics;
    metrics.connections = 3;
    metrics.countError(fp::room::ErrorCode::badJson);
    metrics.countDelivery("notion", "delivered");
    metrics.fanoutLatency.observe(0.004);
    metrics.setGauge("fp_outbox_depth", "waiting", [] { return 7.0; });
    const auto text = metrics.renderPrometheus();
    CHECK_THAT(text, Contains("fp_connections 3\n"));
    CHECK_THAT(text, Contains("fp_rooms 0\n"));
    CHECK_THAT(text, Contains("fp_messages_received_total 0\n"));
    CHECK_THAT(text, Contains("fp_messages_sent_total 0\n"));
    CHECK_THAT(text, Contains("fp_errors_total{code=\"bad_json\"} 1\n"));
    // Every code has a series from the start (alarms on `unavailable` need one).
    CHECK_THAT(text, Contains("fp_errors_total{code=\"unavailable\"} 0\n"));
    CHECK_THAT(text,
               Contains("fp_sink_deliveries_total{sink=\"notion\",outcome=\"delivered\"} 1\n"));
    CHECK_THAT(text, Contains("fp_fanout_latency_seconds_bucket{le=\"0.005\"} 1\n"));
    CHECK_THAT(text, Contains("fp_fanout_latency_seconds_bucket{le=\"0.0025\"} 0\n"));
    CHECK_THAT(text, Contains("fp_fanout_latency_seconds_count 1\n"));
    CHECK_THAT(text, Contains("fp_outbox_depth 7\n"));
}

TEST_CASE("retry delays double from the initial delay, capped, with jitter applied", "[delivery]") {
    using fp::delivery::OutboxWorker;
    CHECK(OutboxWorker::backoff(1, 1000, 60000, 1.0).count() == 1000);
    CHECK(OutboxWorker::backoff(2, 1000, 60000, 1.0).count() == 2000);
    CHECK(OutboxWorker::backoff(4, 1000, 60000, 1.0).count() == 8000);
    CHECK(OutboxWorker::backoff(10, 1000, 60000, 1.0).count() == 60000);
    CHECK(OutboxWorker::backoff(2, 1000, 60000, 0.5).count() == 1000);
    CHECK(OutboxWorker::backoff(2, 1000, 60000, 1.5).count() == 3000);
    CHECK(OutboxWorker::backoff(200, 1000, 60000, 1.5).count() == 60000);
}

TEST_CASE("the rate limiter allows its burst, then spaces requests", "[delivery]") {
    fp::delivery::RateLimiter limiter(2.0, 2.0);
    CHECK(limiter.reserve().count() == 0);
    CHECK(limiter.reserve().count() == 0);
    auto wait = std::chrono::duration<double>(limiter.reserve()).count();
    CHECK(wait == Approx(0.5).margin(0.05));
}

TEST_CASE("query parameters are found and decoded", "[http]") {
    CHECK(fp::http::queryParameter("format=csv", "format") == "csv");
    CHECK(fp::http::queryParameter("a=1&format=m%64", "format") == "md");
    CHECK(fp::http::queryParameter("a=1", "format").empty());
}
