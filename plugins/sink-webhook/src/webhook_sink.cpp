#include "webhook_sink.hpp"

#include "webhook_outcomes.hpp"
#include "webhook_signature.hpp"

namespace fp::webhook {
using fp::sdk::DeliveryOutcome;
using fp::sdk::Status;
using fp::sdk::StatusCode;

namespace {
std::vector<std::string> problemsOf(const std::string& url, const std::string& secret) {
    std::vector<std::string> problems;
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        problems.push_back("url \"" + url + "\" is not an http(s) URL");
    if (secret.empty()) {
        problems.push_back(
            "no signing secret: set FP_SINKS_<i>_OPTIONS_SECRET (or ..._FILE) in the "
            "environment, at least 16 characters");
    } else if (secret.size() < 16) {
        problems.push_back("the signing secret must be at least 16 characters");
    }
    return problems;
}
}  // namespace

std::vector<std::string> WebhookSink::checkOptions(const fp::sdk::PluginOptions& options) {
    return problemsOf(options.getString("url"),
                      options.has("secret") ? options.getString("secret") : "");
}

WebhookSink::WebhookSink(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      url_(context.options.getString("url")),
      secret_(context.options.has("secret") ? context.options.getString("secret") : ""),
      timeout_(std::chrono::seconds(context.options.getInt("timeoutSeconds"))),
      client_(&stopping_) {
    requestSeconds_ = context.metrics->latency(
        "webhook_request_seconds", "time from sending a result to the receiver's answer or error");
    // Declared up front, so every class shows 0 before its first answer.
    for (const char* answerClass : {"2xx", "3xx", "4xx", "5xx", "no_answer"}) {
        responsesByClass_[answerClass] = context.metrics->counter(
            "webhook_responses_total",
            "answers of the receiver by status class (no_answer: timeout, refused, reset)",
            {{"class", answerClass}});
    }
}

void WebhookSink::countAnswer(const sinks::HttpResponse& answer, double seconds) {
    requestSeconds_->observe(seconds);
    std::string answerClass = "no_answer";
    if (answer.answered() && answer.status >= 200 && answer.status < 600)
        answerClass = std::to_string(answer.status / 100) + "xx";
    if (auto it = responsesByClass_.find(answerClass); it != responsesByClass_.end())
        it->second->increment();
}

Status WebhookSink::start() {
    auto problems = problemsOf(url_, secret_);
    if (!problems.empty())
        return Status::failure(StatusCode::invalid, problems.front());
    logger_->info("posting results to " + url_);
    return Status::success();
}

void WebhookSink::stop() {
    stopping_ = true;
}

fp::sdk::DeliveryResult WebhookSink::deliver(const std::string& resultId,
                                             const std::string& resultJson) {
    if (stopping_)
        return {DeliveryOutcome::retry, {}, "the sink is stopping"};
    const auto timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    sinks::HttpRequest request;
    request.method = "POST";
    request.url = url_;
    request.timeout = timeout_;
    request.idempotent = false;  // receivers dedupe, but each POST should be one attempt
    request.body = resultJson;
    request.headers = {
        "Content-Type: application/json",
        "User-Agent: fire-poker-sink-webhook/1",
        "X-FirePoker-Result-Id: " + resultId,
        "X-FirePoker-Timestamp: " + std::to_string(timestamp),
        "X-FirePoker-Signature: " + signatureHeader(secret_, timestamp, resultId, resultJson),
    };
    const auto sentAt = std::chrono::steady_clock::now();
    auto answer = client_.send(request);
    countAnswer(answer,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - sentAt).count());
    return classifyAnswer(answer, resultId);
}

}  // namespace fp::webhook
