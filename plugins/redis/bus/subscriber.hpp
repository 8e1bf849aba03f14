// The subscription connection of bus-redis: one connection owned by one reader thread,
// which reads messages, answers to (UN)SUBSCRIBE and pongs. SUBSCRIBE and UNSUBSCRIBE are
// written from the caller's thread under the same lock. When the connection drops, the
// reader reconnects with backoff, subscribes every channel again and, once Redis confirmed
// them all, reports `resubscribed` so the core reloads what it may have missed. With a
// cluster's node list, a reconnect that cannot reach its node goes to another node of the
// cluster (any node hears every PUBLISH), and each connect learns the nodes again.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster_nodes.hpp"
#include "firepoker/sdk/status.hpp"
#include "redis_connection.hpp"

namespace fp::plugins::redis {

class Subscriber {
  public:
    struct Events {
        // A message on a subscribed channel (called on the reader thread; must be quick).
        std::function<void(const std::string& channel, std::string message)> message;
        // Every channel was subscribed again after a reconnect.
        std::function<void(std::size_t channels)> resubscribed;
        // The connection went down (with why) or came back (with the node's address).
        std::function<void(bool up, const std::string& reason)> changed;
    };

    // `nodes`: the cluster's nodes to fall back on; null = the url's node only.
    Subscriber(RedisSettings settings, std::chrono::milliseconds pingInterval, Events events,
               std::shared_ptr<ClusterNodes> nodes = nullptr);
    ~Subscriber();

    // Connects once (bounded by the connect timeout), then starts the reader thread, which
    // keeps reconnecting by itself.
    void start();
    void stop();

    // Returns once Redis confirmed the subscription; unavailable when the connection is down
    // or Redis did not confirm within the command timeout.
    fp::sdk::Status subscribe(const std::string& channel);
    fp::sdk::Status unsubscribe(const std::string& channel);
    bool isSubscribed(const std::string& channel) const;

    fp::sdk::Readiness readiness() const;
    // The node the connection is (or was last) on, "host:port/db".
    std::string node() const;

  private:
    struct Incoming {
        std::string channel;
        std::string message;
    };

    void run();
    bool connect();
    // Opens the connection to `address` and checks it answers; learns the cluster's nodes.
    bool openNode(const RedisAddress& address, std::string& error);
    void readAvailable(std::vector<Incoming>& incoming);
    void handleReply(const redisReply* reply, std::vector<Incoming>& incoming);
    bool sendLocked(const Command& command, std::size_t confirmations);
    void disconnectLocked(const std::string& reason);
    void maybePing();

    RedisSettings settings_;
    std::chrono::milliseconds pingInterval_;
    Events events_;
    std::shared_ptr<ClusterNodes> nodes_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    RedisConnection connection_;
    std::string node_;      // the connection's node, "host:port/db" (for messages)
    std::string nodeName_;  // ... as "host:port"
    bool connected_ = false;
    bool stopping_ = false;
    std::uint64_t generation_ = 0;
    std::uint64_t sent_ = 0;       // (un)subscribe confirmations expected on this connection
    std::uint64_t confirmed_ = 0;  // ... and received
    std::uint64_t resyncAt_ = 0;   // report `resubscribed` when confirmed_ reaches it
    std::size_t resyncChannels_ = 0;
    std::map<std::string, int> channels_;
    std::string reason_ = "not connected yet";
    std::chrono::steady_clock::time_point downSince_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point lastPing_{};
    bool pingOutstanding_ = false;
    bool everConnected_ = false;
    std::thread thread_;
};

}  // namespace fp::plugins::redis
