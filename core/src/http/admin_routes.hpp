// Operator routes for the outbox, in front of the other routes:
//   GET  /api/admin/outbox/failed                  the results kept as failed
//   POST /api/admin/outbox/failed/{id}/requeue     puts one back in the queue (id URL-encoded,
//                                                  e.g. notion%2Fr_1c9e)
//   POST /api/admin/outbox/failed/requeue          puts every one back (?sink=NAME: that sink's)
// Protected by a bearer token from the environment (FP_ADMIN_TOKEN or FP_ADMIN_TOKEN_FILE);
// without one they are disabled (404).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "firepoker/sdk/storage.hpp"
#include "service/client_gateway.hpp"

namespace fp::http {

class AdminRoutes final : public service::HttpRouter {
  public:
    // `next` answers every path that is not an admin route. `onRequeue` runs after records
    // went back to the queue (wakes the delivery worker).
    AdminRoutes(fp::sdk::Storage& storage, std::optional<std::string> token,
                service::HttpRouter& next, std::function<void()> onRequeue);

    bool handles(const std::string& path) const override;
    fp::sdk::HttpResponse handle(const fp::sdk::HttpRequest& request) override;

  private:
    fp::sdk::HttpResponse listFailed();
    fp::sdk::HttpResponse requeueOne(const std::string& id);
    fp::sdk::HttpResponse requeueAll(const std::string& sink);
    bool authorized(const fp::sdk::HttpRequest& request) const;

    fp::sdk::Storage& storage_;
    std::optional<std::string> token_;
    service::HttpRouter& next_;
    std::function<void()> onRequeue_;
};

}  // namespace fp::http
