// The core's HTTP routes: health, readiness, metrics and the room API of PROTOCOL.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "metrics/metrics_registry.hpp"
#include "service/client_gateway.hpp"
#include "service/room_service.hpp"

namespace fp::http {

// Why the server is not ready: one line per plugin or dependency that is not. Empty = ready.
using ReadinessProbe = std::function<std::vector<std::string>()>;

class ApiRoutes final : public service::HttpRouter {
  public:
    ApiRoutes(service::RoomService& rooms, metrics::MetricsRegistry& metrics,
              ReadinessProbe readiness);

    bool handles(const std::string& path) const override;
    fp::sdk::HttpResponse handle(const fp::sdk::HttpRequest& request) override;

    // While shutting down, /readyz answers 503 so load balancers stop sending new clients.
    void setDraining(bool draining) { draining_ = draining; }

  private:
    fp::sdk::HttpResponse readyz() const;
    fp::sdk::HttpResponse room(const std::string& roomId);
    fp::sdk::HttpResponse history(const std::string& roomId, const std::string& query);

    service::RoomService& rooms_;
    metrics::MetricsRegistry& metrics_;
    ReadinessProbe readiness_;
    std::atomic<bool> draining_{false};
};

// "format=csv&x=1" -> "csv" for key "format"; empty when absent. Values are URL-decoded.
std::string queryParameter(const std::string& query, const std::string& key);

}  // namespace fp::http
