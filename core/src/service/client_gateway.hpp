// The core's side of the transport and the first step of a command's path: one session per
// connection, messages admitted (rate), parsed and checked at the connection level, then
// handed to the room service in the order they arrived; answers (ack, error, pong) go back
// through the ConnectionSender, the welcome through the fan-out (which makes it the
// connection's floor).
//
// Where a message runs: on the transport thread that received it, when storage and bus answer
// from memory (no I/O to wait for) and nothing of the connection is queued; else on the
// connection's lane. Once one message of a connection goes to a lane (a join that may read
// history from sinks, or every message when storage does I/O), the next ones follow it there
// until the lane has run them all, so a connection's messages always run in order.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <spdlog/logger.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "firepoker/sdk/transport.hpp"
#include "metrics/metrics_registry.hpp"
#include "service/client_message.hpp"
#include "service/command_lanes.hpp"
#include "service/connection_sender.hpp"
#include "service/message_rate_limiter.hpp"
#include "service/origin_policy.hpp"
#include "service/pending_disconnects.hpp"
#include "service/resume_tokens.hpp"
#include "service/room_fanout.hpp"
#include "service/room_interest.hpp"
#include "service/room_quota.hpp"
#include "service/room_service.hpp"

namespace fp::service {

// Answers the core's HTTP routes.
class HttpRouter {
  public:
    virtual ~HttpRouter() = default;
    virtual bool handles(const std::string& path) const = 0;
    virtual fp::sdk::HttpResponse handle(const fp::sdk::HttpRequest& request) = 0;
};

struct GatewaySettings {
    std::string allowedOrigins;               // see OriginPolicy
    std::size_t maxRoomsPerInstance = 10000;  // rooms with local connections; then `unavailable`
    double messagesPerSecond = 20;
    double messageBurst = 40;
    std::chrono::seconds rateLimitClose{10};
    // Storage and bus answer from memory (their manifests say so): commands may run on the
    // transport thread that received them.
    bool runOnTransportThreads = false;
};

// What the gateway hands messages to; all outlive it.
struct GatewayLinks {
    RoomService& rooms;
    RoomInterest& interest;
    RoomFanout& fanout;
    ConnectionSender& sender;
    CommandLanes& lanes;
    PendingDisconnects& pendingDisconnects;
    const ResumeTokenAuthority& tokens;
    HttpRouter& router;
};

class ClientGateway final : public fp::sdk::TransportHost {
  public:
    ClientGateway(GatewayLinks links, metrics::MetricsRegistry& metrics,
                  std::shared_ptr<spdlog::logger> logger, GatewaySettings settings);

    std::size_t sessionCount() const;
    std::size_t roomCount() const { return roomQuota_.rooms(); }

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
        // Messages of this connection handed to its lane and not finished yet.
        std::atomic<int> onLane{0};
        // Written and read only by whatever runs this connection's messages, one at a time.
        bool joined = false;
        std::string roomId;
        std::string participantId;
    };
    using SessionPtr = std::shared_ptr<Session>;

    SessionPtr session(fp::sdk::ConnectionId id) const;
    // True when the connection's next step may run on the calling (transport) thread.
    bool mayRunHere(const Session& session) const;
    // Queues the connection's next step on its lane; later steps follow it there.
    void runOnLane(fp::sdk::ConnectionId id, const SessionPtr& session, std::function<void()> step);
    void handleMessage(fp::sdk::ConnectionId id, const SessionPtr& session, const std::string& text,
                       bool onLane);
    void handleJoin(fp::sdk::ConnectionId id, const SessionPtr& session,
                    const ClientMessage& message, bool onLane);
    void joinRoom(fp::sdk::ConnectionId id, Session& session, const ClientMessage& message,
                  const std::string& roomId);
    void handleRoomCommand(fp::sdk::ConnectionId id, Session& session,
                           const ClientMessage& message);
    void handleClose(fp::sdk::ConnectionId id);
    void answerRateLimited(fp::sdk::ConnectionId id, const std::string& text);
    void sendError(fp::sdk::ConnectionId id, room::ErrorCode code, const std::string& message,
                   const Poco::Dynamic::Var& rid);
    void sendAck(fp::sdk::ConnectionId id, const Poco::Dynamic::Var& rid);

    GatewayLinks links_;
    metrics::MetricsRegistry& metrics_;
    std::shared_ptr<spdlog::logger> logger_;
    GatewaySettings settings_;
    OriginPolicy origins_;
    RoomQuota roomQuota_;

    mutable std::mutex sessionsMutex_;
    std::unordered_map<fp::sdk::ConnectionId, SessionPtr> sessions_;
};

}  // namespace fp::service
