// Which browser origins may open a WebSocket: stops cross-site WebSocket hijacking, where a
// page on another site opens a socket to this server with the visitor's network position.
#pragma once

#include <string>
#include <vector>

namespace fp::service {

class OriginPolicy {
  public:
    // `allowed`: comma-separated origins ("https://poker.example.com, http://localhost:8080"),
    // "*" for any, or empty for same host only (the Origin's host:port equals the Host header).
    explicit OriginPolicy(const std::string& allowed);

    // A request without an Origin header is not from a browser page and is allowed: only
    // browsers attach a victim's network position to a cross-site request.
    bool allows(const std::string& origin, const std::string& host) const;

  private:
    bool any_ = false;
    std::vector<std::string> origins_;  // lower case
};

}  // namespace fp::service
