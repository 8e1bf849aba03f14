#include "admission_control.hpp"

#include "http_router.hpp"
#include "request_head.hpp"

namespace fp::websocket {

AdmissionControl::AdmissionControl(std::size_t maxPerAddress, TrustedProxies trustedProxies)
    : trusted_(std::move(trustedProxies)), slots_(std::make_shared<AddressSlots>(maxPerAddress)) {}

ClientAddress AdmissionControl::clientOf(const IpAddress& peer,
                                         std::string_view forwardedFor) const {
    return resolveClientAddress(peer, forwardedFor, trusted_);
}

std::optional<AddressSlot> AdmissionControl::admit(const ClientAddress& client) {
    return slots_->tryTake(client.address.accountingKey());
}

std::optional<std::string> AdmissionControl::screenHead(const IpAddress& peer,
                                                        std::string_view head) const {
    if (slots_->limit() == 0)
        return std::nullopt;
    const auto summary = summarizeRequestHead(head);
    if (summary.path != kWebSocketPath)
        return std::nullopt;  // plain HTTP is short-lived and bounded by the HTTP threads
    const auto client = clientOf(peer, summary.forwardedFor);
    if (!slots_->full(client.address.accountingKey()))
        return std::nullopt;
    return refusal(client, !summary.forwardedFor.empty());
}

std::string AdmissionControl::waitingKey(const IpAddress& peer) const {
    if (slots_->limit() == 0 || trusted_.trusts(peer))
        return {};
    return peer.accountingKey();
}

std::string AdmissionControl::refusal(const ClientAddress& client, bool forwardedForSent) const {
    std::string text = "too many connections from " + client.address.accountingKey() +
                       " (at most " + std::to_string(slots_->limit()) + " per client address)";
    if (forwardedForSent && !client.forwarded)
        text += "; X-Forwarded-For was ignored: the peer is not in trustedProxies";
    return text;
}

}  // namespace fp::websocket
