// bus-redis: Redis pub/sub, one channel per room (never PSUBSCRIBE), subscribed only while
// the core holds interest in the room. A subscription connection read by its own thread;
// publishes go through a command connection (with storage-redis they are made by the commit
// script instead). After the subscription connection comes back, every room is subscribed
// again and the listener told to resync.
#pragma once

#include <memory>
#include <string>

#include "connection_pool.hpp"
#include "dispatcher.hpp"
#include "firepoker/sdk/bus.hpp"
#include "key_layout.hpp"
#include "subscriber.hpp"

namespace fp::plugins::redis {

class RedisBus final : public fp::sdk::Bus {
  public:
    explicit RedisBus(const fp::sdk::PluginContext& context);
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

    std::shared_ptr<fp::sdk::Logger> logger_;
    RedisSettings settings_;
    KeyLayout keys_;
    ConnectionPool publisher_;
    Dispatcher dispatcher_;
    std::unique_ptr<Subscriber> subscriber_;
    bool stopped_ = false;
};

}  // namespace fp::plugins::redis
