// What a Notion answer means for the delivery (NOTION.md, "Errors"): 400 gives up on the
// record; 401/403/404 pause the sink; 409, 429, 529 and 5xx retry (Retry-After honoured);
// an unreachable Notion pauses the sink, so a long outage burns no attempts.
#pragma once

#include <chrono>
#include <string>

#include "firepoker/sdk/sink.hpp"
#include "notion_api.hpp"

namespace fp::notion {

// `action` names the call ("create the page for r_1c9e") for the reason text. After a timeout
// the retry waits `afterTimeout`: a write that was slow rather than lost then has landed
// before the next attempt looks for it.
fp::sdk::DeliveryResult classifyFailure(
    const ApiAnswer& answer, const std::string& action,
    std::chrono::milliseconds afterTimeout = std::chrono::milliseconds(0));

// True when the request may have been carried out although no success came back (timeout,
// connection lost, 5xx): the next attempt must look for the page before creating one.
bool outcomeUnknown(const ApiAnswer& answer);

}  // namespace fp::notion
