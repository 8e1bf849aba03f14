// The signature of a webhook delivery (docs/webhook.md):
//   signed text  = "v1:" + timestamp + ":" + resultId + ":" + body
//   header       X-FirePoker-Signature: sha256=<lower-case hex HMAC-SHA256(secret, signed text)>
// with X-FirePoker-Timestamp (unix seconds) and X-FirePoker-Result-Id carrying the same values,
// so a receiver can check the body, the result id and the freshness with one HMAC.
#pragma once

#include <cstdint>
#include <string>

namespace fp::webhook {

std::string signedText(std::int64_t timestamp, const std::string& resultId,
                       const std::string& body);
std::string hmacSha256Hex(const std::string& key, const std::string& data);
// "sha256=<hex>"
std::string signatureHeader(const std::string& secret, std::int64_t timestamp,
                            const std::string& resultId, const std::string& body);

}  // namespace fp::webhook
