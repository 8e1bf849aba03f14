#include "metrics/otlp_exporter.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace fp::metrics {
namespace {
using Poco::JSON::Array;
using Poco::JSON::Object;

std::uint64_t unixNanoNow() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Parses {a="x",b="y\"z"} starting at text[pos] == '{'; leaves pos after '}'.
bool parseLabels(const std::string& text, std::size_t& pos,
                 std::map<std::string, std::string>& out) {
    ++pos;  // '{'
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == ','))
            ++pos;
        if (pos < text.size() && text[pos] == '}') {
            ++pos;
            return true;
        }
        const auto eq = text.find('=', pos);
        if (eq == std::string::npos || eq + 1 >= text.size() || text[eq + 1] != '"')
            return false;
        std::string key = text.substr(pos, eq - pos);
        pos = eq + 2;
        std::string value;
        while (pos < text.size() && text[pos] != '"') {
            if (text[pos] == '\\' && pos + 1 < text.size()) {
                ++pos;
                value += text[pos] == 'n' ? '\n' : text[pos];
            } else {
                value += text[pos];
            }
            ++pos;
        }
        if (pos >= text.size())
            return false;
        ++pos;  // closing quote
        out[key] = value;
    }
    return false;
}

bool parseValue(const std::string& token, double& value) {
    if (token == "NaN") {
        value = std::nan("");
        return true;
    }
    if (token == "+Inf" || token == "Inf") {
        value = HUGE_VAL;
        return true;
    }
    if (token == "-Inf") {
        value = -HUGE_VAL;
        return true;
    }
    char* end = nullptr;
    value = std::strtod(token.c_str(), &end);
    return end != token.c_str() && *end == '\0';
}

bool isInteger(const std::string& text) {
    if (text.empty())
        return false;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size())
        return false;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
    }
    return true;
}

Object::Ptr stringAttribute(const std::string& key, const std::string& value) {
    Object::Ptr v = new Object();
    v->set("stringValue", value);
    Object::Ptr kv = new Object();
    kv->set("key", key);
    kv->set("value", v);
    return kv;
}

Array::Ptr attributes(const std::map<std::string, std::string>& labels, const char* skip = "") {
    Array::Ptr out = new Array();
    for (const auto& [key, value] : labels) {
        if (key != skip)
            out->add(stringAttribute(key, value));
    }
    return out;
}

// Histograms: the samples of one label set (without "le") become one data point.
Object::Ptr histogramPoint(const std::vector<const PromSample*>& samples, const std::string& family,
                           const std::string& start, const std::string& now) {
    std::vector<std::pair<double, std::uint64_t>> buckets;  // (le, cumulative count)
    double sum = 0;
    std::uint64_t count = 0;
    bool haveCount = false;
    for (const auto* s : samples) {
        if (s->name == family + "_bucket") {
            auto le = s->labels.find("le");
            double bound = 0;
            if (le == s->labels.end() || !parseValue(le->second, bound))
                continue;
            buckets.emplace_back(bound, static_cast<std::uint64_t>(s->value));
        } else if (s->name == family + "_sum") {
            sum = s->value;
        } else if (s->name == family + "_count") {
            count = static_cast<std::uint64_t>(s->value);
            haveCount = true;
        }
    }
    std::sort(buckets.begin(), buckets.end());
    Array::Ptr bounds = new Array();
    Array::Ptr counts = new Array();
    std::uint64_t previous = 0;
    for (const auto& [bound, cumulative] : buckets) {
        if (std::isfinite(bound))
            bounds->add(bound);
        counts->add(std::to_string(cumulative >= previous ? cumulative - previous : 0));
        previous = cumulative;
    }
    if (buckets.empty() || std::isfinite(buckets.back().first))
        counts->add(std::to_string(haveCount && count >= previous ? count - previous : 0));
    Object::Ptr point = new Object();
    point->set("attributes", attributes(samples.front()->labels, "le"));
    point->set("startTimeUnixNano", start);
    point->set("timeUnixNano", now);
    point->set("count", std::to_string(haveCount ? count : previous));
    if (std::isfinite(sum))
        point->set("sum", sum);
    point->set("bucketCounts", counts);
    point->set("explicitBounds", bounds);
    return point;
}
}  // namespace

std::vector<PromFamily> parsePrometheusText(const std::string& text) {
    std::vector<PromFamily> families;
    std::map<std::string, std::size_t> index;
    auto family = [&](const std::string& name) -> PromFamily& {
        auto it = index.find(name);
        if (it != index.end())
            return families[it->second];
        index[name] = families.size();
        families.push_back(PromFamily{name, "untyped", "", {}});
        return families.back();
    };
    // The family of a sample: a histogram's or summary's _bucket/_sum/_count belong to it.
    auto familyOf = [&](const std::string& sample) -> PromFamily& {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            if (endsWith(sample, suffix)) {
                auto base = sample.substr(0, sample.size() - std::string(suffix).size());
                auto it = index.find(base);
                if (it != index.end() && (families[it->second].type == "histogram" ||
                                          families[it->second].type == "summary"))
                    return families[it->second];
            }
        }
        return family(sample);
    };

    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        if (line[0] == '#') {
            std::istringstream words(line.substr(1));
            std::string keyword, name;
            words >> keyword >> name;
            if (name.empty())
                continue;
            std::string rest;
            std::getline(words, rest);
            if (!rest.empty() && rest[0] == ' ')
                rest.erase(0, 1);
            if (keyword == "TYPE")
                family(name).type = rest;
            else if (keyword == "HELP")
                family(name).help = rest;
            continue;
        }
        PromSample sample;
        std::size_t pos = 0;
        while (pos < line.size() && line[pos] != '{' && line[pos] != ' ')
            ++pos;
        sample.name = line.substr(0, pos);
        if (sample.name.empty())
            continue;
        if (pos < line.size() && line[pos] == '{' && !parseLabels(line, pos, sample.labels))
            continue;
        while (pos < line.size() && line[pos] == ' ')
            ++pos;
        const auto end = line.find(' ', pos);
        sample.text = line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (!parseValue(sample.text, sample.value))
            continue;
        familyOf(sample.name).samples.push_back(std::move(sample));
    }
    return families;
}

std::string buildOtlpMetricsJson(const std::vector<PromFamily>& families,
                                 const OtlpResource& resource, std::uint64_t startUnixNano,
                                 std::uint64_t nowUnixNano) {
    const std::string start = std::to_string(startUnixNano);
    const std::string now = std::to_string(nowUnixNano);
    Array::Ptr metrics = new Array();
    for (const auto& f : families) {
        if (f.samples.empty())
            continue;
        Object::Ptr metric = new Object();
        metric->set("description", f.help);
        if (endsWith(f.name, "_seconds"))
            metric->set("unit", "s");
        else if (endsWith(f.name, "_bytes"))
            metric->set("unit", "By");
        Array::Ptr points = new Array();
        if (f.type == "histogram") {
            metric->set("name", f.name);
            // Group the samples by their labels without "le".
            std::map<std::map<std::string, std::string>, std::vector<const PromSample*>> series;
            for (const auto& s : f.samples) {
                auto key = s.labels;
                key.erase("le");
                series[key].push_back(&s);
            }
            for (const auto& [key, samples] : series)
                points->add(histogramPoint(samples, f.name, start, now));
            Object::Ptr histogram = new Object();
            histogram->set("aggregationTemporality", 2);  // CUMULATIVE
            histogram->set("dataPoints", points);
            metric->set("histogram", histogram);
        } else if (f.type == "summary") {
            continue;  // the server publishes none
        } else {
            const bool counter = f.type == "counter";
            // OpenTelemetry names monotonic sums without Prometheus' "_total" suffix.
            metric->set("name", counter && endsWith(f.name, "_total")
                                    ? f.name.substr(0, f.name.size() - 6)
                                    : f.name);
            for (const auto& s : f.samples) {
                if (!std::isfinite(s.value))
                    continue;
                Object::Ptr point = new Object();
                point->set("attributes", attributes(s.labels));
                if (counter)
                    point->set("startTimeUnixNano", start);
                point->set("timeUnixNano", now);
                if (isInteger(s.text))
                    point->set("asInt", s.text);  // int64 is a string in OTLP JSON
                else
                    point->set("asDouble", s.value);
                points->add(point);
            }
            Object::Ptr data = new Object();
            data->set("dataPoints", points);
            if (counter) {
                data->set("aggregationTemporality", 2);  // CUMULATIVE
                data->set("isMonotonic", true);
                metric->set("sum", data);
            } else {
                metric->set("gauge", data);
            }
        }
        metrics->add(metric);
    }

    Array::Ptr resourceAttributes = new Array();
    resourceAttributes->add(stringAttribute("service.name", resource.serviceName));
    if (!resource.serviceVersion.empty())
        resourceAttributes->add(stringAttribute("service.version", resource.serviceVersion));
    if (!resource.instanceId.empty())
        resourceAttributes->add(stringAttribute("service.instance.id", resource.instanceId));
    Object::Ptr resourceObject = new Object();
    resourceObject->set("attributes", resourceAttributes);

    Object::Ptr scope = new Object();
    scope->set("name", "fire-poker");
    if (!resource.serviceVersion.empty())
        scope->set("version", resource.serviceVersion);
    Object::Ptr scopeMetrics = new Object();
    scopeMetrics->set("scope", scope);
    scopeMetrics->set("metrics", metrics);
    Array::Ptr scopes = new Array();
    scopes->add(scopeMetrics);

    Object::Ptr resourceMetrics = new Object();
    resourceMetrics->set("resource", resourceObject);
    resourceMetrics->set("scopeMetrics", scopes);
    Array::Ptr all = new Array();
    all->add(resourceMetrics);
    Object::Ptr root = new Object();
    root->set("resourceMetrics", all);
    std::ostringstream out;
    root->stringify(out);
    return out.str();
}

std::string OtlpExporter::checkEndpoint(const std::string& endpoint) {
    if (startsWith(endpoint, "https://")) {
        return "https is not supported: send to a collector on the same host or task over http "
               "(the collector forwards over TLS)";
    }
    if (!startsWith(endpoint, "http://"))
        return "must be an http:// URL, e.g. http://127.0.0.1:4318/v1/metrics";
    try {
        Poco::URI uri(endpoint);
        if (uri.getHost().empty())
            return "has no host";
    } catch (const Poco::Exception& e) {
        return "is not a URL: " + e.displayText();
    }
    return "";
}

OtlpExporter::OtlpExporter(OtlpExporterSettings settings, std::function<std::string()> source,
                           std::shared_ptr<spdlog::logger> logger)
    : settings_(std::move(settings)),
      source_(std::move(source)),
      logger_(std::move(logger)),
      startUnixNano_(unixNanoNow()) {
    url_ = settings_.endpoint;
    try {
        Poco::URI uri(url_);
        if (uri.getPath().empty() || uri.getPath() == "/") {
            uri.setPath("/v1/metrics");
            url_ = uri.toString();
        }
    } catch (const Poco::Exception&) {
        // reported by exportOnce
    }
}

OtlpExporter::~OtlpExporter() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void OtlpExporter::start() {
    logger_->info("exporting metrics over OTLP/HTTP JSON to {} every {} s", url_,
                  settings_.interval.count() / 1000.0);
    thread_ = std::thread([this] { run(); });
}

void OtlpExporter::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_)
            return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
    exportOnce();
}

void OtlpExporter::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        if (wake_.wait_for(lock, settings_.interval, [this] { return stopping_; }))
            break;
        lock.unlock();
        exportOnce();
        lock.lock();
    }
}

bool OtlpExporter::exportOnce() {
    std::string error;
    try {
        const std::string body = buildOtlpMetricsJson(
            parsePrometheusText(source_()), settings_.resource, startUnixNano_, unixNanoNow());
        Poco::URI uri(url_);
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        const auto timeoutUs =
            std::chrono::duration_cast<std::chrono::microseconds>(settings_.timeout);
        session.setTimeout(
            Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeoutUs.count())));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string answer;
        Poco::StreamCopier::copyToString(in, answer);
        const int status = static_cast<int>(response.getStatus());
        if (status < 200 || status >= 300) {
            error = "HTTP " + std::to_string(status) + " " + answer.substr(0, 200);
        }
    } catch (const Poco::Exception& e) {
        error = e.displayText();
    } catch (const std::exception& e) {
        error = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (error.empty()) {
        succeeded_.fetch_add(1);
        if (lastFailed_)
            logger_->info("OTLP metrics export to {} works again", url_);
        lastFailed_ = false;
        return true;
    }
    failed_.fetch_add(1);
    // Once per outage, not every interval.
    if (!lastFailed_)
        logger_->warn("OTLP metrics export to {} failed: {} (retrying every interval)", url_,
                      error);
    lastFailed_ = true;
    return false;
}

}  // namespace fp::metrics
