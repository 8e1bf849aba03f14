#include "webhook_outcomes.hpp"

#include "retry_after.hpp"

namespace fp::webhook {
namespace {
using fp::sdk::DeliveryOutcome;

std::string excerpt(const std::string& body) {
    std::string out;
    for (char c : body.substr(0, 160))
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    return out;
}
}  // namespace

fp::sdk::DeliveryResult classifyAnswer(const sinks::HttpResponse& response,
                                       const std::string& resultId) {
    const std::string what = "webhook for " + resultId + ": ";
    if (!response.answered()) {
        const std::string reason =
            what + sinks::toString(response.error) + ": " + response.errorMessage;
        if (response.error == sinks::TransportError::couldNotConnect)
            return {DeliveryOutcome::paused, {}, "receiver unreachable: " + reason};
        return {DeliveryOutcome::retry, {}, reason};
    }
    const long status = response.status;
    if (status >= 200 && status < 300)
        return {DeliveryOutcome::delivered, {}, ""};
    std::string reason = what + "HTTP " + std::to_string(status);
    if (!response.body.empty())
        reason += ": " + excerpt(response.body);
    if (status == 408 || status == 429 || status >= 500) {
        auto delay = sinks::parseRetryAfter(response.header("retry-after"),
                                            std::chrono::system_clock::now());
        return {DeliveryOutcome::retry, delay.value_or(std::chrono::milliseconds(0)), reason};
    }
    return {DeliveryOutcome::failed, {}, reason};  // 3xx (not followed) and other 4xx
}

}  // namespace fp::webhook
