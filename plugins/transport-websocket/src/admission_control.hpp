// Connections per client address, decided before the WebSocket handshake completes: where the
// client address comes from (the peer, or X-Forwarded-For from a trusted proxy) and how many
// connections each address may hold.
//
// Checked twice: by the pre-accept stage on the raw request head (an upgrade request from an
// address at its limit is answered 429 on the stage thread and never queues for an HTTP thread),
// and by the upgrade handler, which takes the slot (race-free) just before it answers 101.
// The stage also caps the connections one peer address may have waiting for their request head,
// so that one address cannot fill the stage's waiting room and push out everyone else's.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "address_slots.hpp"
#include "client_address.hpp"

namespace fp::websocket {

class AdmissionControl {
  public:
    // maxPerAddress 0 = no limit.
    AdmissionControl(std::size_t maxPerAddress, TrustedProxies trustedProxies);

    ClientAddress clientOf(const IpAddress& peer, std::string_view forwardedFor) const;
    // A slot for this client, or nullopt when it holds maxPerAddress connections already.
    std::optional<AddressSlot> admit(const ClientAddress& client);
    // For a complete request head that the stage is about to hand to the HTTP server: the text
    // of a 429 answer if it is a WebSocket upgrade from a client at its limit, else nullopt.
    std::optional<std::string> screenHead(const IpAddress& peer, std::string_view head) const;
    // The key under which a connection from `peer` waits for its request head in the pre-accept
    // stage, where at most maxPerAddress() may wait per key: the peer's address, or "" (not
    // capped) for a trusted proxy, which carries many clients, and when there is no limit.
    std::string waitingKey(const IpAddress& peer) const;
    std::size_t maxPerAddress() const { return slots_->limit(); }
    // "too many connections from 203.0.113.7 (at most 256 per client address)", plus a hint for
    // operators when an X-Forwarded-For was ignored because the peer is not a trusted proxy.
    std::string refusal(const ClientAddress& client, bool forwardedForSent) const;

    const AddressSlots& slots() const { return *slots_; }
    bool trustsProxies() const { return !trusted_.empty(); }

  private:
    const TrustedProxies trusted_;
    const std::shared_ptr<AddressSlots> slots_;
};

}  // namespace fp::websocket
