// What a receiver's answer means: 2xx delivered; 408, 429 and 5xx retry (Retry-After
// honoured); other 4xx give up (kept as failed); no answer retries; an unreachable receiver
// pauses the sink, so a long outage burns no attempts.
#pragma once

#include <string>

#include "firepoker/sdk/sink.hpp"
#include "http_client.hpp"

namespace fp::webhook {

fp::sdk::DeliveryResult classifyAnswer(const sinks::HttpResponse& response,
                                       const std::string& resultId);

}  // namespace fp::webhook
