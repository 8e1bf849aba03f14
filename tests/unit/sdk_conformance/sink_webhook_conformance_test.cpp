// The sink conformance kit against sink-webhook, loaded by the server's own loader, posting
// over real sockets to a receiver in this process that behaves as docs/webhook.md asks of one:
// it dedupes by X-FirePoker-Result-Id. Faults: 503 (retry), 400 (failed), nothing listening
// (paused); the signing secret must never show in a reason.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <mutex>
#include <set>

#include "config/option_validation.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/testkit/plugin_context.hpp"
#include "firepoker/testkit/sink_conformance.hpp"
#include "plugins/plugin_catalog.hpp"

namespace {
const std::string kSecret = "kit-webhook-signing-secret-5d1e";

// A receiver: answers `status` (200 stores the result once per result id).
class Receiver {
  public:
    Receiver()
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~Receiver() { server_.stopAll(true); }

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/hook";
    }
    void answerWith(int status) { status_ = status; }
    std::vector<std::string> stored() {
        std::lock_guard<std::mutex> lock(mutex_);
        return stored_;
    }

  private:
    class Handler final : public Poco::Net::HTTPRequestHandler {
      public:
        explicit Handler(Receiver& receiver) : receiver_(receiver) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            std::string body;
            Poco::StreamCopier::copyToString(request.stream(), body);
            const int status = receiver_.status_;
            if (status == 200) {
                const auto id = request.get("X-FirePoker-Result-Id", "");
                std::lock_guard<std::mutex> lock(receiver_.mutex_);
                if (receiver_.seen_.insert(id).second)
                    receiver_.stored_.push_back(id);
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
            response.setContentType("text/plain");
            response.send() << (status == 200 ? "ok" : "refused by the test receiver");
        }

      private:
        Receiver& receiver_;
    };
    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
      public:
        explicit Factory(Receiver& receiver) : receiver_(receiver) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(
            const Poco::Net::HTTPServerRequest&) override {
            return new Handler(receiver_);
        }

      private:
        Receiver& receiver_;
    };

    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
    std::atomic<int> status_{200};
    std::mutex mutex_;
    std::set<std::string> seen_;
    std::vector<std::string> stored_;
};

class WebhookDestination final : public fp::testkit::SinkDestination {
  public:
    // `reachable` false: a URL where nothing listens (a port bound, read and closed).
    explicit WebhookDestination(bool reachable = true) {
        if (reachable) {
            receiver_ = std::make_unique<Receiver>();
            url_ = receiver_->url();
        } else {
            Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
            url_ = "http://127.0.0.1:" + std::to_string(probe.address().port()) + "/hook";
            probe.close();
        }
    }
    Receiver& receiver() { return *receiver_; }

    std::shared_ptr<fp::sdk::Sink> makeSink() override {
        static const auto library =
            fp::plugins::PluginCatalog({FP_BUILT_PLUGIN_DIR}).open("sink-webhook");
        Poco::JSON::Object::Ptr raw = new Poco::JSON::Object;
        raw->set("url", url_);
        raw->set("timeoutSeconds", 2);
        fp::config::ConfigProblems problems;
        fp::sdk::PluginContext context;
        context.instanceName = "kit-webhook";
        context.options = fp::config::resolveOptions(library->manifest().options, raw,
                                                     {"test", "sinks[0].options"}, {}, problems);
        REQUIRE(problems.empty());
        context.options.set("secret", kSecret);  // a secret comes from the environment only
        context.logger = std::make_shared<fp::testkit::StderrLogger>("sink-webhook");
        context.metrics = std::make_shared<fp::testkit::RecordingMetrics>();
        return std::static_pointer_cast<fp::sdk::Sink>(library->create(context));
    }
    std::vector<std::string> storedResultIds() override {
        return receiver_ ? receiver_->stored() : std::vector<std::string>{};
    }

  private:
    std::unique_ptr<Receiver> receiver_;
    std::string url_;
};

fp::testkit::SinkConformanceOptions faults() {
    fp::testkit::SinkConformanceOptions options;
    auto answering = [](int status) {
        return [status] {
            auto destination = std::make_unique<WebhookDestination>();
            destination->receiver().answerWith(status);
            return destination;
        };
    };
    fp::testkit::SinkFault unavailable;
    unavailable.name = "a receiver answering 503";
    unavailable.expected = fp::sdk::DeliveryOutcome::retry;
    unavailable.makeDestination = answering(503);
    unavailable.repair = [](fp::testkit::SinkDestination& destination) {
        static_cast<WebhookDestination&>(destination).receiver().answerWith(200);
    };
    unavailable.secrets = {kSecret};
    options.faults.push_back(unavailable);

    fp::testkit::SinkFault refused;
    refused.name = "a receiver answering 400";
    refused.expected = fp::sdk::DeliveryOutcome::failed;
    refused.makeDestination = answering(400);
    refused.secrets = {kSecret};
    options.faults.push_back(refused);

    fp::testkit::SinkFault nobody;
    nobody.name = "nothing listening at the url";
    nobody.expected = fp::sdk::DeliveryOutcome::paused;
    nobody.makeDestination = [] { return std::make_unique<WebhookDestination>(false); };
    nobody.secrets = {kSecret};
    options.faults.push_back(nobody);
    return options;
}

const bool sinkKit = fp::testkit::registerSinkConformance(
    "sink-webhook", [] { return std::make_unique<WebhookDestination>(); }, faults());
}  // namespace
