// Resume tokens that the server can verify without storage, so seats survive a restart that
// lost every room: token = R "." HMAC-SHA256(secret, "v1|room|participant|R"), R 128 random
// bits. Rooms store only a hash of the token.
#pragma once

#include <string>

namespace fp::service {

class ResumeTokenAuthority {
  public:
    explicit ResumeTokenAuthority(std::string secret) : secret_(std::move(secret)) {}

    std::string issue(const std::string& roomId, const std::string& participantId) const;
    // True when the token was issued by a server holding the same secret, for exactly this
    // room and participant. Compared in constant time.
    bool verify(const std::string& roomId, const std::string& participantId,
                const std::string& token) const;
    static std::string hash(const std::string& token);

  private:
    std::string mac(const std::string& roomId, const std::string& participantId,
                    const std::string& nonce) const;
    std::string secret_;
};

}  // namespace fp::service
