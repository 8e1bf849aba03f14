// Sends one message to one connection (welcome aside: answers, errors, pongs), apart from the
// fan-out, which sends states to a room. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "firepoker/sdk/transport.hpp"
#include "metrics/metrics_registry.hpp"

namespace fp::service {

class ConnectionSender {
  public:
    ConnectionSender(fp::sdk::Transport& transport, metrics::MetricsRegistry& metrics)
        : transport_(transport), metrics_(metrics) {}

    void send(fp::sdk::ConnectionId connection, std::string json) {
        transport_.send(connection, transport_.prepare(std::move(json)));
        metrics_.messagesSent.fetch_add(1, std::memory_order_relaxed);
    }
    void close(fp::sdk::ConnectionId connection, std::uint16_t code, const std::string& reason) {
        transport_.close(connection, code, reason);
    }

  private:
    fp::sdk::Transport& transport_;
    metrics::MetricsRegistry& metrics_;
};

}  // namespace fp::service
