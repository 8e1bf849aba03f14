// bus-local: the in-process bus of the embedded default. publish() hands the state straight
// to the listener when this instance is subscribed to the room.
#pragma once

#include <map>
#include <shared_mutex>
#include <string>

#include "firepoker/sdk/bus.hpp"

namespace fp::plugins::localbus {

class LocalBus final : public fp::sdk::Bus {
  public:
    explicit LocalBus(const fp::sdk::PluginContext& context);

    void setListener(fp::sdk::BusListener* listener) override;
    fp::sdk::Status publish(const std::string& roomId, std::uint64_t version,
                            const std::string& payload) override;
    fp::sdk::Status subscribe(const std::string& roomId) override;
    fp::sdk::Status unsubscribe(const std::string& roomId) override;

  private:
    mutable std::shared_mutex mutex_;
    fp::sdk::BusListener* listener_ = nullptr;
    std::map<std::string, int> subscriptions_;
};

}  // namespace fp::plugins::localbus
