#include "service/resume_tokens.hpp"

#include "util/crypto.hpp"

namespace fp::service {

std::string ResumeTokenAuthority::mac(const std::string& roomId, const std::string& participantId,
                                      const std::string& nonce) const {
    return util::base64UrlEncode(
        util::hmacSha256(secret_, "v1|" + roomId + "|" + participantId + "|" + nonce));
}

std::string ResumeTokenAuthority::issue(const std::string& roomId,
                                        const std::string& participantId) const {
    const std::string nonce = util::base64UrlEncode(util::randomBytes(16));
    return nonce + "." + mac(roomId, participantId, nonce);
}

bool ResumeTokenAuthority::verify(const std::string& roomId, const std::string& participantId,
                                  const std::string& token) const {
    if (token.size() > 256)
        return false;
    const auto dot = token.find('.');
    if (dot == std::string::npos || dot == 0)
        return false;
    const std::string nonce = token.substr(0, dot);
    return util::constantTimeEquals(token.substr(dot + 1), mac(roomId, participantId, nonce));
}

std::string ResumeTokenAuthority::hash(const std::string& token) {
    return util::sha256Hex(token);
}

}  // namespace fp::service
