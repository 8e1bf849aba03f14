#include "notion_outcomes.hpp"

#include "retry_after.hpp"

namespace fp::notion {
namespace {
using fp::sdk::DeliveryOutcome;
using fp::sdk::DeliveryResult;

std::chrono::milliseconds retryAfterOf(const ApiAnswer& answer) {
    auto delay =
        sinks::parseRetryAfter(answer.http.header("retry-after"), std::chrono::system_clock::now());
    return delay.value_or(std::chrono::milliseconds(0));
}
}  // namespace

bool outcomeUnknown(const ApiAnswer& answer) {
    if (!answer.http.answered())
        return answer.http.error != sinks::TransportError::couldNotConnect;
    return answer.http.status >= 500 || (answer.http.status >= 200 && answer.http.status < 300);
}

DeliveryResult classifyFailure(const ApiAnswer& answer, const std::string& action,
                               std::chrono::milliseconds afterTimeout) {
    const std::string reason = "Notion: " + action + ": " + answer.describe();
    if (!answer.http.answered()) {
        if (answer.http.error == sinks::TransportError::couldNotConnect)
            return {DeliveryOutcome::paused, {}, "Notion unreachable: " + reason};
        if (answer.http.error == sinks::TransportError::timeout)
            return {DeliveryOutcome::retry, afterTimeout, reason};
        return {DeliveryOutcome::retry, {}, reason};
    }
    const long status = answer.http.status;
    if (status >= 200 && status < 300)  // a success we could not read
        return {DeliveryOutcome::retry, {}, reason};
    if (status == 401 || status == 403 || status == 404)
        return {DeliveryOutcome::paused, {}, reason};
    if (status == 409 || status == 429 || status == 529 || status >= 500)
        return {DeliveryOutcome::retry, retryAfterOf(answer), reason};
    if (status == 408)
        return {DeliveryOutcome::retry, retryAfterOf(answer), reason};
    if (status >= 300 && status < 400)
        return {DeliveryOutcome::paused, {}, reason + " (a redirect: check baseUrl)"};
    return {DeliveryOutcome::failed, {}, reason};  // 400 and the other 4xx
}

}  // namespace fp::notion
