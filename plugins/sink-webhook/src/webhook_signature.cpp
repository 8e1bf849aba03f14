#include "webhook_signature.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace fp::webhook {
namespace {
// Poco's HMACEngine needs the block and digest sizes as members, which SHA2Engine lacks.
class Sha256Engine : public Poco::SHA2Engine {
  public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

std::string signedText(std::int64_t timestamp, const std::string& resultId,
                       const std::string& body) {
    return "v1:" + std::to_string(timestamp) + ":" + resultId + ":" + body;
}

std::string hmacSha256Hex(const std::string& key, const std::string& data) {
    Poco::HMACEngine<Sha256Engine> engine(key);
    engine.update(data);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string signatureHeader(const std::string& secret, std::int64_t timestamp,
                            const std::string& resultId, const std::string& body) {
    return "sha256=" + hmacSha256Hex(secret, signedText(timestamp, resultId, body));
}

}  // namespace fp::webhook
