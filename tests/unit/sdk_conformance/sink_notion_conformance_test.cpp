// The sink conformance kit against sink-notion, loaded by the server's own loader, writing over
// real sockets to the project's Notion double (tests/notion-double/notion-double.mjs, spawned
// here with node: one per test process, reset for each destination, killed at the end). Both
// API generations run the kit; the faults are the answers NOTION.md lists (401/403/404 pause,
// 429/529/5xx/409/a cut connection retry, 400 fails), made by the double for real (an unknown
// token or database, its rate limit) or injected through its control routes. The token must
// never show in a reason. Two more cases check what the kit cannot: the Retry-After delay, and
// a row written although its answer was lost is found, not written twice.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "config/option_validation.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/testkit/plugin_context.hpp"
#include "firepoker/testkit/sink_conformance.hpp"
#include "plugins/plugin_catalog.hpp"

namespace {
const std::string kToken = "secret_kit_notion_token_8b2e61f0c4";
const std::string kWrongToken = "secret_kit_notion_wrong_token_3a7d";
constexpr int kRepeatedFault = 1000;  // "every request until repaired"

// The Notion double as a child process: started on first use, killed when the test ends.
class NotionDoubleProcess {
  public:
    // Throws (the test case fails) with what went wrong when node or the double cannot start.
    static NotionDoubleProcess& shared() {
        static std::optional<NotionDoubleProcess> process;
        static std::string startError;
        if (!process && startError.empty()) {
            try {
                process.emplace();
            } catch (const std::exception& e) {
                process.reset();
                startError = e.what();
            }
        }
        if (!process)
            throw std::runtime_error("the Notion double is not running: " + startError);
        return *process;
    }

    NotionDoubleProcess() {
        if (::access(FP_NODE, X_OK) != 0)
            throw std::runtime_error(std::string("cannot run node at ") + FP_NODE);
        int out[2];
        if (::pipe2(out, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ < 0) {
            ::close(out[0]);
            ::close(out[1]);
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        }
        if (pid_ == 0) {
            // Dies with this process even when it crashes.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(126);
            ::dup2(out[1], STDOUT_FILENO);
            ::execl(FP_NODE, FP_NODE, FP_NOTION_DOUBLE, "--port", "0", "--token", kToken.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        stdout_ = out[0];
        try {
            readAddress();
        } catch (...) {
            stop();
            throw;
        }
    }
    ~NotionDoubleProcess() { stop(); }
    NotionDoubleProcess(const NotionDoubleProcess&) = delete;
    NotionDoubleProcess& operator=(const NotionDoubleProcess&) = delete;

    std::string apiUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
    const std::string& databaseId() const { return databaseId_; }
    const std::string& dataSourceId() const { return dataSourceId_; }

    // A control route of the double (`/__double/...`); throws unless it answers 200.
    Poco::JSON::Object::Ptr control(const std::string& method, const std::string& path,
                                    const std::string& body = "") {
        Poco::Net::HTTPClientSession session("127.0.0.1", port_);
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!body.empty()) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string text;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            throw std::runtime_error("the Notion double answered " + method + " " + path +
                                     " with " + std::to_string(response.getStatus()) + ": " + text);
        Poco::JSON::Parser parser;
        return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    }

  private:
    // The double prints one JSON line: {"url":"http://127.0.0.1:PORT/v1","databaseId":...}.
    void readAddress() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        std::string line;
        while (line.find('\n') == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd fd{stdout_, POLLIN, 0};
            const int ready = left.count() > 0 ? ::poll(&fd, 1, static_cast<int>(left.count())) : 0;
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready <= 0)
                throw std::runtime_error(std::string("node ") + FP_NOTION_DOUBLE +
                                         " printed no address within 20 s");
            char buffer[512];
            const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
            if (n <= 0) {
                int status = 0;
                ::waitpid(pid_, &status, 0);
                pid_ = -1;
                throw std::runtime_error(
                    std::string("node ") + FP_NOTION_DOUBLE +
                    " ended before printing its address (" +
                    (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                       : "signal " + std::to_string(WTERMSIG(status))) +
                    (WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ": could not exec node"
                                                                     : "") +
                    "; its errors are above)");
            }
            line.append(buffer, static_cast<std::size_t>(n));
        }
        Poco::JSON::Parser parser;
        auto address =
            parser.parse(line.substr(0, line.find('\n'))).extract<Poco::JSON::Object::Ptr>();
        const std::string url = address->getValue<std::string>("url");
        const auto colon = url.rfind(':');
        port_ = static_cast<Poco::UInt16>(std::stoi(url.substr(colon + 1)));
        databaseId_ = address->getValue<std::string>("databaseId");
        dataSourceId_ = address->getValue<std::string>("dataSourceId");
    }

    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        if (stdout_ >= 0) {
            ::close(stdout_);
            stdout_ = -1;
        }
    }

    pid_t pid_ = -1;
    int stdout_ = -1;
    Poco::UInt16 port_ = 0;
    std::string databaseId_;
    std::string dataSourceId_;
};

// Where a sink of a destination points and with what token.
struct Target {
    bool dataSources = false;  // API 2025-09-03: dataSourceId instead of databaseId
    std::string token = kToken;
    std::string otherId;   // an id the double does not hold (a database not shared)
    std::string otherUrl;  // a base URL where nothing listens
};

// The double, reset: no rows, no faults, no rate limit.
class NotionDestination final : public fp::testkit::SinkDestination {
  public:
    explicit NotionDestination(Target target = {})
        : double_(NotionDoubleProcess::shared()), target_(std::move(target)) {
        reset();
    }

    std::shared_ptr<fp::sdk::Sink> makeSink() override {
        static const auto library =
            fp::plugins::PluginCatalog({FP_BUILT_PLUGIN_DIR}).open("sink-notion");
        Poco::JSON::Object::Ptr raw = new Poco::JSON::Object;
        raw->set("baseUrl", target_.otherUrl.empty() ? double_.apiUrl() : target_.otherUrl);
        const std::string id = !target_.otherId.empty() ? target_.otherId
                               : target_.dataSources    ? double_.dataSourceId()
                                                        : double_.databaseId();
        raw->set(target_.dataSources ? "dataSourceId" : "databaseId", id);
        raw->set("timeoutSeconds", 2);
        raw->set("historyTimeoutSeconds", 2);
        raw->set("requestsPerSecond", 1000);  // the double's own limit is off unless a case sets it
        raw->set("burst", 1000);
        fp::config::ConfigProblems problems;
        fp::sdk::PluginContext context;
        context.instanceName = "kit-notion";
        context.options = fp::config::resolveOptions(library->manifest().options, raw,
                                                     {"test", "sinks[0].options"}, {}, problems);
        REQUIRE(problems.empty());
        context.options.set("token", target_.token);  // a secret comes from the environment only
        context.logger = std::make_shared<fp::testkit::StderrLogger>("sink-notion");
        return std::static_pointer_cast<fp::sdk::Sink>(library->create(context));
    }

    // The Result ID of every row in the double's database, once per row.
    std::vector<std::string> storedResultIds() override {
        std::vector<std::string> ids;
        auto pages = double_.control("GET", "/__double/pages")->getArray("pages");
        for (std::size_t i = 0; pages && i < pages->size(); ++i) {
            auto property = pages->getObject(static_cast<unsigned>(i))
                                ->getObject("properties")
                                ->getObject("Result ID");
            auto text = property ? property->getArray("rich_text") : nullptr;
            std::string id;
            for (std::size_t t = 0; text && t < text->size(); ++t)
                id +=
                    text->getObject(static_cast<unsigned>(t))->getValue<std::string>("plain_text");
            ids.push_back(id);
        }
        return ids;
    }

    // A fault of the double (see NotionDouble.fault): {"match":"POST /v1/pages","status":503}.
    void inject(const std::string& faultJson) {
        double_.control("POST", "/__double/fault", faultJson);
    }
    void rateLimit(const std::string& limitJson) {
        double_.control("POST", "/__double/rate-limit", limitJson);
    }
    // Faults and the rate limit gone. The double can only drop its faults with its rows: the
    // kit has just checked that none is stored for its result; nothing else may be either.
    void repair() {
        REQUIRE(storedResultIds().empty());
        reset();
    }

  private:
    void reset() {
        double_.control("POST", "/__double/reset");
        double_.control("POST", "/__double/rate-limit", "null");
    }

    NotionDoubleProcess& double_;
    Target target_;
};

NotionDestination& notion(fp::testkit::SinkDestination& destination) {
    return static_cast<NotionDestination&>(destination);
}

// A destination with `faultJson` injected (empty: none) for the target.
fp::testkit::SinkDestinationFactory faulty(std::string faultJson, Target target = {}) {
    return [faultJson, target] {
        auto destination = std::make_unique<NotionDestination>(target);
        if (!faultJson.empty())
            destination->inject(faultJson);
        return destination;
    };
}

fp::testkit::SinkFault fault(std::string name, fp::sdk::DeliveryOutcome expected,
                             fp::testkit::SinkDestinationFactory make, bool repairable = true) {
    fp::testkit::SinkFault f;
    f.name = std::move(name);
    f.expected = expected;
    f.makeDestination = std::move(make);
    if (repairable)
        f.repair = [](fp::testkit::SinkDestination& d) { notion(d).repair(); };
    f.secrets = {kToken, kWrongToken};
    return f;
}

// `status` for every request matching `match` ("" = every request) until repaired.
std::string repeated(const std::string& match, int status) {
    return "{" + (match.empty() ? std::string() : R"("match":")" + match + R"(",)") +
           R"("status":)" + std::to_string(status) + R"(,"times":)" +
           std::to_string(kRepeatedFault) + "}";
}

fp::testkit::SinkConformanceOptions databaseFaults() {
    using fp::sdk::DeliveryOutcome;
    fp::testkit::SinkConformanceOptions options;
    auto& f = options.faults;
    // paused: nothing can be delivered until someone fixes the integration.
    Target wrongToken;
    wrongToken.token = kWrongToken;
    f.push_back(fault("a token Notion does not know (401)", DeliveryOutcome::paused,
                      faulty("", wrongToken), false));
    f.push_back(fault("a token revoked while running (401 on every write)", DeliveryOutcome::paused,
                      faulty(repeated("POST /v1/*", 401))));
    f.push_back(fault("an integration without access (403 restricted_resource)",
                      DeliveryOutcome::paused, faulty(repeated("", 403))));
    Target unknownDatabase;
    unknownDatabase.otherId = "0d6c1f9a-4b7e-4c3a-9f1e-2a5b8c7d6e40";
    f.push_back(fault("a database id Notion does not know (404)", DeliveryOutcome::paused,
                      faulty("", unknownDatabase), false));
    f.push_back(fault("a database no longer shared with the integration (404 everywhere)",
                      DeliveryOutcome::paused, faulty(repeated("", 404))));
    // retry: this record may go through later.
    f.push_back(fault("Notion's rate limit (429 with Retry-After)", DeliveryOutcome::retry, [] {
        auto destination = std::make_unique<NotionDestination>();
        // One request at once, one a second: the schema read at start takes it.
        destination->rateLimit(R"({"perSecond":1,"burst":1})");
        return destination;
    }));
    f.push_back(fault("an overloaded Notion (529 on the query)", DeliveryOutcome::retry,
                      faulty(R"({"match":"POST /v1/databases/*","status":529,"retryAfter":1})")));
    f.push_back(fault("a 503 on creating the row", DeliveryOutcome::retry,
                      faulty(R"({"match":"POST /v1/pages","status":503})")));
    f.push_back(fault("a 502 with an HTML body on the query", DeliveryOutcome::retry,
                      faulty(R"({"match":"POST /v1/databases/*","status":502,"html":true})")));
    f.push_back(fault("a connection cut on creating the row", DeliveryOutcome::retry,
                      faulty(R"({"match":"POST /v1/pages","reset":true})")));
    f.push_back(fault("a 409 conflict on creating the row, twice", DeliveryOutcome::retry,
                      faulty(R"({"match":"POST /v1/pages","status":409,"times":2})")));
    // failed: Notion will never take this record.
    f.push_back(fault("a 400 validation_error on creating the row", DeliveryOutcome::failed,
                      faulty(R"({"match":"POST /v1/pages","status":400})"), false));
    auto unreadable =
        fault("a result that is not JSON", DeliveryOutcome::failed, faulty(""), false);
    unreadable.payload = "{\"resultId\": not json";
    f.push_back(unreadable);
    // paused: Notion unreachable (a port bound, read and closed).
    f.push_back(fault(
        "nothing listening at baseUrl", DeliveryOutcome::paused,
        [] {
            Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
            Target nowhere;
            nowhere.otherUrl = "http://127.0.0.1:" + std::to_string(probe.address().port()) + "/v1";
            probe.close();
            return std::make_unique<NotionDestination>(nowhere);
        },
        false));
    return options;
}

fp::testkit::SinkConformanceOptions dataSourceFaults() {
    fp::testkit::SinkConformanceOptions options;
    Target unknown;
    unknown.dataSources = true;
    unknown.otherId = "5e0f3b2a-7c1d-4e9f-8a6b-1c2d3e4f5a60";
    options.faults.push_back(fault("a data source id Notion does not know (404)",
                                   fp::sdk::DeliveryOutcome::paused, faulty("", unknown), false));
    Target dataSources;
    dataSources.dataSources = true;
    options.faults.push_back(
        fault("a 503 on creating the row", fp::sdk::DeliveryOutcome::retry,
              faulty(R"({"match":"POST /v1/pages","status":503})", dataSources)));
    return options;
}

const bool databaseKit = fp::testkit::registerSinkConformance(
    "sink-notion", [] { return std::make_unique<NotionDestination>(); }, databaseFaults());

const bool dataSourceKit = fp::testkit::registerSinkConformance(
    "sink-notion data sources",
    [] {
        Target t;
        t.dataSources = true;
        return std::make_unique<NotionDestination>(t);
    },
    dataSourceFaults());

using fp::sdk::DeliveryOutcome;
using fp::testkit::detail::copiesOf;
using fp::testkit::detail::sampleResult;
using fp::testkit::detail::StartedSink;
using fp::testkit::detail::uniqueId;

TEST_CASE("sink-notion: a 429 or 529 answers retry after its Retry-After", "[notion][faults]") {
    NotionDestination destination;
    StartedSink sink(destination);
    const auto id = uniqueId("r");
    const auto payload = sampleResult(id, uniqueId("room"));

    destination.inject(R"({"match":"POST /v1/pages","status":429,"retryAfter":2})");
    auto limited = sink.deliver(id, payload);
    CHECK(limited.outcome == DeliveryOutcome::retry);
    CHECK(limited.retryAfter == std::chrono::seconds(2));

    destination.inject(R"({"match":"POST /v1/databases/*","status":529,"retryAfter":1})");
    auto overloaded = sink.deliver(id, payload);
    CHECK(overloaded.outcome == DeliveryOutcome::retry);
    CHECK(overloaded.retryAfter == std::chrono::seconds(1));

    CHECK(sink.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    CHECK(copiesOf(destination, id) == 1);
}

TEST_CASE("sink-notion: a row written although its answer was lost is found, not written twice",
          "[notion][faults]") {
    // NOTION.md: no idempotency keys; after a 5xx or a lost connection, query by Result ID.
    const std::string lost =
        GENERATE(as<std::string>{}, R"({"match":"POST /v1/pages","status":504,"afterStore":true})",
                 R"({"match":"POST /v1/pages","reset":true,"afterStore":true})");
    INFO(lost);
    NotionDestination destination;
    StartedSink sink(destination);
    const auto id = uniqueId("r");
    const auto payload = sampleResult(id, uniqueId("room"));
    destination.inject(lost);
    auto first = sink.deliver(id, payload);
    CHECK(first.outcome == DeliveryOutcome::retry);
    CHECK(copiesOf(destination, id) == 1);  // stored although the sink could not know
    CHECK(sink.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    CHECK(copiesOf(destination, id) == 1);
}
}  // namespace
