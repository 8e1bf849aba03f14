#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"
#include "webhook_sink.hpp"

namespace {
fp::sdk::Manifest sinkWebhookManifest() {
    fp::sdk::Manifest m;
    m.name = "sink-webhook";
    m.version = "1.0.0";
    m.description =
        "POSTs each finalized result as JSON to a URL, signed with HMAC-SHA256 "
        "(X-FirePoker-Signature)";
    m.options = {
        fp::sdk::option::requiredString("url", "where results are POSTed (http or https)"),
        fp::sdk::option::secret("secret",
                                "HMAC-SHA256 signing key, at least 16 characters; from the "
                                "environment only: FP_SINKS_<i>_OPTIONS_SECRET"),
        fp::sdk::option::integer("timeoutSeconds", 10, "timeout of one POST").between(1, 600),
    };
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::webhook::WebhookSink, sinkWebhookManifest)
