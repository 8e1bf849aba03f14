// bus-redis: Redis pub/sub, one channel per room (never PSUBSCRIBE), subscribed only while
// the core holds interest in the room. A subscription connection read by its own thread;
// publishes go through a command connection (with storage-redis they are made by the commit
// script instead). After the subscription connection comes back, every room is subscribed
// again and the listener told to resync. With `cluster`, a subscription or publish whose
// node cannot be reached goes to another known node of the cluster (a cluster's PUBLISH
// reaches the subscribers of every node), the subscription with the same resync.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection_pool.hpp"
#include "dispatcher.hpp"
#include "firepoker/sdk/bus.hpp"
#include "key_layout.hpp"
#include "subscriber.hpp"

namespace fp::plugins::redis {

class RedisBus final : public fp::sdk::Bus {
  public:
    explicit RedisBus(const fp::sdk::PluginContext& context);
    // What the constructor would refuse (url, tls* files, cluster with a database), for
    // --check-config; one problem per element.
    static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options);
    ~RedisBus() override;

    fp::sdk::Status start() override;
    void stop() override;
    fp::sdk::Readiness readiness() const override;

    void setListener(fp::sdk::BusListener* listener) override;
    fp::sdk::Status publish(const std::string& roomId, std::uint64_t version,
                            const std::string& payload) override;
    fp::sdk::Status subscribe(const std::string& roomId) override;
    fp::sdk::Status unsubscribe(const std::string& roomId) override;

  private:
    void onMessage(const std::string& channel, std::string message);
    // The publish connections of `address`: the url's (publisher_) or another node's.
    ConnectionPool& publisherOf(const RedisAddress& address);

    std::shared_ptr<fp::sdk::Logger> logger_;
    RedisSettings settings_;
    KeyLayout keys_;
    ConnectionPool publisher_;
    std::shared_ptr<ClusterNodes> nodes_;  // cluster mode; null otherwise
    std::mutex publishersMutex_;
    std::map<std::string, std::unique_ptr<ConnectionPool>> publishers_;  // other nodes'
    std::string publishNode_;  // cluster mode: the node the last publish went to
    Dispatcher dispatcher_;
    std::unique_ptr<Subscriber> subscriber_;
    bool stopped_ = false;
};

}  // namespace fp::plugins::redis
