#include <catch2/catch.hpp>

#include "webhook_outcomes.hpp"
#include "webhook_signature.hpp"

using fp::sdk::DeliveryOutcome;

namespace {
fp::sinks::HttpResponse answer(long status, std::string retryAfter = "") {
    fp::sinks::HttpResponse r;
    r.status = status;
    r.body = "nope";
    if (!retryAfter.empty())
        r.headers["retry-after"] = retryAfter;
    return r;
}
}  // namespace

TEST_CASE("the signature is HMAC-SHA256 of v1:timestamp:resultId:body", "[webhook]") {
    const std::string body = R"({"resultId":"r_1c9e"})";
    CHECK(fp::webhook::signedText(1700000000, "r_1c9e", body) == "v1:1700000000:r_1c9e:" + body);
    // Computed independently (Python's hmac module).
    CHECK(fp::webhook::signatureHeader("0123456789abcdef-secret", 1700000000, "r_1c9e", body) ==
          "sha256=41c741b8d380f3922009f712fd9047238cd157e33b2db98ee17203c7dd8afeb0");
}

TEST_CASE("receiver answers map to delivered, retry, failed or paused", "[webhook]") {
    using fp::webhook::classifyAnswer;
    CHECK(classifyAnswer(answer(200), "r").outcome == DeliveryOutcome::delivered);
    CHECK(classifyAnswer(answer(204), "r").outcome == DeliveryOutcome::delivered);
    CHECK(classifyAnswer(answer(400), "r").outcome == DeliveryOutcome::failed);
    CHECK(classifyAnswer(answer(401), "r").outcome == DeliveryOutcome::failed);
    CHECK(classifyAnswer(answer(404), "r").outcome == DeliveryOutcome::failed);
    auto timeout = classifyAnswer(answer(408), "r");
    CHECK(timeout.outcome == DeliveryOutcome::retry);
    auto limited = classifyAnswer(answer(429, "7"), "r");
    CHECK(limited.outcome == DeliveryOutcome::retry);
    CHECK(limited.retryAfter.count() == 7000);
    CHECK(classifyAnswer(answer(503), "r").outcome == DeliveryOutcome::retry);
    CHECK(classifyAnswer(answer(500), "r").reason.find("HTTP 500: nope") != std::string::npos);

    fp::sinks::HttpResponse lost;
    lost.error = fp::sinks::TransportError::connectionLost;
    CHECK(classifyAnswer(lost, "r").outcome == DeliveryOutcome::retry);
    fp::sinks::HttpResponse refused;
    refused.error = fp::sinks::TransportError::couldNotConnect;
    CHECK(classifyAnswer(refused, "r").outcome == DeliveryOutcome::paused);
}
