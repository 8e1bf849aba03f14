// The core's side of the transport: one session per connection, messages parsed and applied
// in order per connection on the worker pool, answers (ack, error, pong, welcome) sent back.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "firepoker/sdk/transport.hpp"
#include "metrics/metrics_registry.hpp"
#include "service/keyed_worker_pool.hpp"
#include "service/message_rate_limiter.hpp"
#include "service/origin_policy.hpp"
#include "service/pending_disconnects.hpp"
#include "service/resume_tokens.hpp"
#include "service/room_fanout.hpp"
#include "service/room_quota.hpp"
#include "service/room_service.hpp"

namespace fp::service {

// Answers the core's HTTP routes; set by the app.
class HttpRouter {
  public:
    virtual ~HttpRouter() = default;
    virtual bool handles(const std::string& path) const = 0;
    virtual fp::sdk::HttpResponse handle(const fp::sdk::HttpRequest& request) = 0;
};

struct GatewaySettings {
    std::string instanceId;                   // this instance, as in the rooms' connection counts
    std::string allowedOrigins;               // see OriginPolicy
    std::size_t maxRoomsPerInstance = 10000;  // rooms with local connections; then `unavailable`
    double messagesPerSecond = 20;
    double messageBurst = 40;
    std::chrono::seconds rateLimitClose{10};
};

class ClientGateway final : public fp::sdk::TransportHost {
  public:
    ClientGateway(RoomService& rooms, RoomFanout& fanout, KeyedWorkerPool& workers,
                  const ResumeTokenAuthority& tokens, metrics::MetricsRegistry& metrics,
                  std::shared_ptr<spdlog::logger> logger, GatewaySettings settings = {});

    void setHttpRouter(HttpRouter* router) { router_ = router; }
    std::size_t sessionCount() const;
    std::size_t roomCount() const { return roomQuota_.rooms(); }
    std::size_t pendingDisconnectCount() const { return pendingDisconnects_.size(); }
    // Called by room maintenance: retries the disconnects storage refused (see
    // pending_disconnects.hpp), each on its room's worker lane.
    void retryPendingDisconnects();

    bool acceptConnection(const fp::sdk::ConnectionInfo& info, std::string& refusal) override;
    void onConnectionOpened(fp::sdk::ConnectionId id, const fp::sdk::ConnectionInfo& info) override;
    void onTextMessage(fp::sdk::ConnectionId id, std::string text) override;
    void onConnectionClosed(fp::sdk::ConnectionId id, std::uint16_t code) override;
    bool isCoreRoute(const std::string& path) const override;
    fp::sdk::HttpResponse handleHttp(const fp::sdk::HttpRequest& request) override;

  private:
    struct Session {
        explicit Session(const GatewaySettings& s)
            : rate(s.messagesPerSecond, s.messageBurst, s.rateLimitClose) {}
        fp::sdk::ConnectionInfo info;
        // Touched only by the transport thread that delivers this connection's messages.
        MessageRateLimiter rate;
        bool joined = false;
        std::string roomId;
        std::string participantId;
    };

    std::shared_ptr<Session> session(fp::sdk::ConnectionId id) const;
    void handleMessage(fp::sdk::ConnectionId id, const std::string& text);
    void handleJoin(fp::sdk::ConnectionId id, Session& session,
                    const Poco::JSON::Object::Ptr& message, const Poco::Dynamic::Var& rid);
    void handleClose(fp::sdk::ConnectionId id);
    void keepPendingDisconnect(const std::string& roomId, const std::string& participantId);
    void retryDisconnect(const PendingDisconnect& pending);
    // Joined local connections of one participant in one room.
    int localConnectionsOf(const std::string& roomId, const std::string& participantId) const;
    void answerRateLimited(fp::sdk::ConnectionId id, const std::string& text);
    void sendError(fp::sdk::ConnectionId id, const std::string& code, const std::string& message,
                   const Poco::Dynamic::Var& rid);
    void sendAck(fp::sdk::ConnectionId id, const Poco::Dynamic::Var& rid);

    RoomService& rooms_;
    RoomFanout& fanout_;
    KeyedWorkerPool& workers_;
    const ResumeTokenAuthority& tokens_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    GatewaySettings settings_;
    OriginPolicy origins_;
    RoomQuota roomQuota_;
    PendingDisconnects pendingDisconnects_;
    HttpRouter* router_ = nullptr;

    mutable std::mutex sessionsMutex_;
    std::map<fp::sdk::ConnectionId, std::shared_ptr<Session>> sessions_;
};

}  // namespace fp::service
