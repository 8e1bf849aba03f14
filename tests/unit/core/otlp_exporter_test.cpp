#include <algorithm>
// The OpenTelemetry metrics export: Prometheus text -> OTLP/HTTP JSON, posted to a real (tiny,
// local) HTTP receiver, and the `telemetry` config section.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <spdlog/sinks/null_sink.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/otlp_exporter.hpp"

using fp::metrics::buildOtlpMetricsJson;
using fp::metrics::OtlpExporter;
using fp::metrics::OtlpExporterSettings;
using fp::metrics::parsePrometheusText;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// What the receiver saw of one request.
struct Received {
    std::string method;
    std::string path;
    std::string contentType;
    std::string body;
};

// A collector stand-in: records every request and answers with a fixed status.
class Receiver {
  public:
    explicit Receiver(int status = 200)
        : status_(status), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto* params = new Poco::Net::HTTPServerParams();
        params->setMaxThreads(2);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
        server_->start();
    }
    ~Receiver() { server_->stopAll(true); }

    std::string base() const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port());
    }

    bool waitFor(std::size_t count, std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
    }

    std::vector<Received> requests() {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

  private:
    class Handler : public Poco::Net::HTTPRequestHandler {
      public:
        explicit Handler(Receiver& owner) : owner_(owner) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            Received r;
            r.method = request.getMethod();
            r.path = request.getURI();
            r.contentType = request.getContentType();
            Poco::StreamCopier::copyToString(request.stream(), r.body);
            {
                std::lock_guard<std::mutex> lock(owner_.mutex_);
                owner_.requests_.push_back(std::move(r));
            }
            owner_.changed_.notify_all();
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(owner_.status_));
            response.setContentType("application/json");
            response.send() << "{}";
        }

      private:
        Receiver& owner_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
      public:
        explicit Factory(Receiver& owner) : owner_(owner) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(
            const Poco::Net::HTTPServerRequest&) override {
            return new Handler(owner_);
        }

      private:
        Receiver& owner_;
    };

    int status_;
    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Received> requests_;
};

std::shared_ptr<spdlog::logger> quietLogger() {
    return std::make_shared<spdlog::logger>("otlp-test",
                                            std::make_shared<spdlog::sinks::null_sink_mt>());
}

Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>();
}

// The metrics of the single resource and scope, by name.
std::map<std::string, Object::Ptr> metricsByName(const Object::Ptr& root) {
    auto resources = root->getArray("resourceMetrics");
    REQUIRE(resources->size() == 1);
    auto scopes = resources->getObject(0)->getArray("scopeMetrics");
    REQUIRE(scopes->size() == 1);
    CHECK(scopes->getObject(0)->getObject("scope")->getValue<std::string>("name") == "fire-poker");
    std::map<std::string, Object::Ptr> out;
    auto metrics = scopes->getObject(0)->getArray("metrics");
    for (std::size_t i = 0; i < metrics->size(); ++i) {
        auto m = metrics->getObject(static_cast<unsigned>(i));
        out[m->getValue<std::string>("name")] = m;
    }
    return out;
}

std::string resourceAttribute(const Object::Ptr& root, const std::string& key) {
    auto attrs = root->getArray("resourceMetrics")
                     ->getObject(0)
                     ->getObject("resource")
                     ->getArray("attributes");
    for (std::size_t i = 0; i < attrs->size(); ++i) {
        auto a = attrs->getObject(static_cast<unsigned>(i));
        if (a->getValue<std::string>("key") == key)
            return a->getObject("value")->getValue<std::string>("stringValue");
    }
    return "<missing>";
}

fp::metrics::MetricsRegistry& sampleRegistry() {
    static fp::metrics::MetricsRegistry registry;
    static bool filled = false;
    if (!filled) {
        filled = true;
        registry.connections = 3;
        registry.messagesReceived = 42;
        registry.countError(fp::room::ErrorCode::roomFull);
        registry.countDelivery("notion", "delivered");
        registry.fanoutLatency.observe(0.0002);
        registry.fanoutLatency.observe(0.004);
        registry.fanoutLatency.observe(9.0);
        registry.setGauge("fp_outbox_oldest_age_seconds", "age of the oldest result",
                          [] { return 1.5; });
    }
    return registry;
}

OtlpExporterSettings settingsFor(const std::string& endpoint) {
    OtlpExporterSettings s;
    s.endpoint = endpoint;
    s.interval = std::chrono::milliseconds(100);
    s.timeout = std::chrono::milliseconds(2000);
    s.resource = {"fire-poker-test", "9.9.9", "host-1-abc"};
    return s;
}
}  // namespace

TEST_CASE("Prometheus text is read back into families", "[otlp]") {
    auto families = parsePrometheusText(sampleRegistry().renderPrometheus());
    std::map<std::string, fp::metrics::PromFamily> byName;
    for (auto& f : families)
        byName[f.name] = f;
    REQUIRE(byName.count("fp_connections") == 1);
    CHECK(byName["fp_connections"].type == "gauge");
    CHECK(byName["fp_connections"].samples.at(0).value == 3);
    CHECK(byName["fp_messages_received_total"].type == "counter");
    // Every code has a series; the one counted holds its count.
    const auto& errors = byName["fp_errors_total"].samples;
    CHECK(errors.size() == std::size(fp::room::kAllErrorCodes));
    auto roomFull = std::find_if(errors.begin(), errors.end(), [](const auto& sample) {
        return sample.labels.at("code") == "room_full";
    });
    REQUIRE(roomFull != errors.end());
    CHECK(roomFull->value == 1);
    const auto& histogram = byName["fp_fanout_latency_seconds"];
    CHECK(histogram.type == "histogram");
    CHECK(histogram.samples.size() == 15 + 2);  // 14 bounds + Inf, _sum, _count
    CHECK(byName.count("fp_fanout_latency_seconds_bucket") == 0);

    auto escaped = parsePrometheusText("x{a=\"q\\\"uote\",b=\"line\\nbreak\"} 7\n");
    REQUIRE(escaped.size() == 1);
    CHECK(escaped[0].samples.at(0).labels.at("a") == "q\"uote");
    CHECK(escaped[0].samples.at(0).labels.at("b") == "line\nbreak");
}

TEST_CASE("the OTLP JSON has the shape a collector expects", "[otlp]") {
    auto json = buildOtlpMetricsJson(parsePrometheusText(sampleRegistry().renderPrometheus()),
                                     {"fire-poker", "0.1.0", "host-1-abc"}, 1000, 2000);
    auto root = parseObject(json);
    CHECK(resourceAttribute(root, "service.name") == "fire-poker");
    CHECK(resourceAttribute(root, "service.version") == "0.1.0");
    CHECK(resourceAttribute(root, "service.instance.id") == "host-1-abc");
    auto metrics = metricsByName(root);

    SECTION("gauges") {
        REQUIRE(metrics.count("fp_connections") == 1);
        auto points = metrics["fp_connections"]->getObject("gauge")->getArray("dataPoints");
        REQUIRE(points->size() == 1);
        auto p = points->getObject(0);
        CHECK(p->getValue<std::string>("asInt") == "3");  // int64 as a JSON string
        CHECK(p->getValue<std::string>("timeUnixNano") == "2000");
        auto age = metrics.at("fp_outbox_oldest_age_seconds");
        CHECK(age->getValue<std::string>("unit") == "s");
        CHECK(age->getObject("gauge")
                  ->getArray("dataPoints")
                  ->getObject(0)
                  ->getValue<double>("asDouble") == 1.5);
    }
    SECTION("counters are cumulative monotonic sums named without _total") {
        CHECK(metrics.count("fp_messages_received_total") == 0);
        REQUIRE(metrics.count("fp_messages_received") == 1);
        auto sum = metrics["fp_messages_received"]->getObject("sum");
        CHECK(sum->getValue<int>("aggregationTemporality") == 2);
        CHECK(sum->getValue<bool>("isMonotonic"));
        auto p = sum->getArray("dataPoints")->getObject(0);
        CHECK(p->getValue<std::string>("asInt") == "42");
        CHECK(p->getValue<std::string>("startTimeUnixNano") == "1000");
        auto errors = metrics.at("fp_errors")->getObject("sum")->getArray("dataPoints");
        bool found = false;
        for (std::size_t i = 0; i < errors->size(); ++i) {
            auto point = errors->getObject(static_cast<unsigned>(i));
            auto attr = point->getArray("attributes")->getObject(0);
            CHECK(attr->getValue<std::string>("key") == "code");
            if (attr->getObject("value")->getValue<std::string>("stringValue") == "room_full") {
                found = true;
                CHECK(point->getValue<std::string>("asInt") == "1");
            }
        }
        CHECK(found);
    }
    SECTION("histograms have per-bucket counts, one more than the bounds") {
        REQUIRE(metrics.count("fp_fanout_latency_seconds") == 1);
        auto h = metrics["fp_fanout_latency_seconds"]->getObject("histogram");
        CHECK(h->getValue<int>("aggregationTemporality") == 2);
        auto p = h->getArray("dataPoints")->getObject(0);
        auto bounds = p->getArray("explicitBounds");
        auto counts = p->getArray("bucketCounts");
        CHECK(bounds->size() == 14);
        REQUIRE(counts->size() == bounds->size() + 1);
        CHECK(bounds->getElement<double>(0) == 0.0005);
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < counts->size(); ++i)
            total += std::stoull(counts->getElement<std::string>(static_cast<unsigned>(i)));
        CHECK(total == 3);
        CHECK(p->getValue<std::string>("count") == "3");
        CHECK(counts->getElement<std::string>(0) == "1");   // 0.0002 <= 0.0005
        CHECK(counts->getElement<std::string>(14) == "1");  // 9 s > 5 s: the +Inf bucket
        CHECK(p->getValue<double>("sum") == Approx(9.0042).margin(1e-5));
        CHECK(p->getArray("attributes")->size() == 0);  // "le" is not an attribute
    }
}

TEST_CASE("an export is one POST of OTLP JSON to the collector", "[otlp]") {
    Receiver receiver;
    OtlpExporter exporter(
        settingsFor(receiver.base()), [] { return sampleRegistry().renderPrometheus(); },
        quietLogger());
    CHECK(exporter.url() == receiver.base() + "/v1/metrics");  // no path: the OTLP default
    REQUIRE(exporter.exportOnce());
    auto requests = receiver.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].path == "/v1/metrics");
    CHECK(requests[0].contentType == "application/json");
    auto root = parseObject(requests[0].body);
    CHECK(resourceAttribute(root, "service.name") == "fire-poker-test");
    CHECK(metricsByName(root).count("fp_connections") == 1);
    CHECK(exporter.succeeded() == 1);
}

TEST_CASE("an explicit path is kept", "[otlp]") {
    Receiver receiver;
    OtlpExporter exporter(
        settingsFor(receiver.base() + "/otlp/v1/metrics"),
        [] { return std::string("fp_connections 1\n"); }, quietLogger());
    REQUIRE(exporter.exportOnce());
    CHECK(receiver.requests().at(0).path == "/otlp/v1/metrics");
}

TEST_CASE("a failing or absent collector is counted, never thrown", "[otlp]") {
    Receiver failing(503);
    OtlpExporter toFailing(
        settingsFor(failing.base()), [] { return std::string("fp_connections 1\n"); },
        quietLogger());
    CHECK_FALSE(toFailing.exportOnce());
    CHECK(toFailing.failed() == 1);

    int port = 0;
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = probe.address().port();
    }  // closed: nothing listens there now
    OtlpExporter toNobody(
        settingsFor("http://127.0.0.1:" + std::to_string(port)),
        [] { return std::string("fp_connections 1\n"); }, quietLogger());
    CHECK_FALSE(toNobody.exportOnce());
    CHECK(toNobody.failed() == 1);
}

TEST_CASE("the exporter posts every interval and once more on stop", "[otlp]") {
    Receiver receiver;
    OtlpExporter exporter(
        settingsFor(receiver.base()), [] { return sampleRegistry().renderPrometheus(); },
        quietLogger());
    exporter.start();
    REQUIRE(receiver.waitFor(2, std::chrono::seconds(5)));
    exporter.stop();
    const auto afterStop = receiver.requests().size();
    CHECK(afterStop >= 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CHECK(receiver.requests().size() == afterStop);  // nothing after stop
}

TEST_CASE("the telemetry section of the config", "[otlp][config]") {
    using fp::config::loadConfigText;
    SECTION("off by default") {
        auto loaded = loadConfigText("{}", "c.json", "/tmp", {});
        REQUIRE(loaded.problems.empty());
        CHECK(loaded.config.telemetry.otlpEndpoint.empty());
        CHECK(loaded.config.telemetry.exportIntervalSeconds == 60);
        CHECK(loaded.config.telemetry.serviceName == "fire-poker");
    }
    SECTION("from the file and the environment") {
        auto loaded = loadConfigText(
            R"({"telemetry": {"otlpEndpoint": "http://127.0.0.1:4318", "exportIntervalSeconds": 15}})",
            "c.json", "/tmp", {{"FP_TELEMETRY_SERVICENAME", "poker-eu"}});
        REQUIRE(loaded.problems.empty());
        CHECK(loaded.config.telemetry.otlpEndpoint == "http://127.0.0.1:4318");
        CHECK(loaded.config.telemetry.exportIntervalSeconds == 15);
        CHECK(loaded.config.telemetry.serviceName == "poker-eu");
    }
    SECTION("bad values are problems") {
        auto loaded = loadConfigText(
            R"({"telemetry": {"otlpEndpoint": "https://collector:4318", "exportIntervalSeconds": 0, "colour": 1}})",
            "c.json", "/tmp", {});
        std::set<std::string> keys;
        for (const auto& p : loaded.problems)
            keys.insert(p.key);
        CHECK(keys.count("telemetry.otlpEndpoint") == 1);
        CHECK(keys.count("telemetry.exportIntervalSeconds") == 1);
        CHECK(keys.count("telemetry.colour") == 1);
        CHECK(OtlpExporter::checkEndpoint("collector:4318") != "");
        CHECK(OtlpExporter::checkEndpoint("http://collector:4318/v1/metrics") == "");
    }
}
