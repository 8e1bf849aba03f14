// Bus: carries each room's new state to the other server instances.
#pragma once

#include <cstdint>
#include <string>

#include "firepoker/sdk/plugin.hpp"

namespace fp::sdk {

// Implemented by the core. Called from the bus's own thread(s); must return quickly.
class BusListener {
  public:
    virtual ~BusListener() = default;
    // A room's new state, as published (the payload is the `state` message text).
    virtual void onRoomState(const std::string& roomId, std::uint64_t version,
                             const std::string& payload) = 0;
    // The bus may have missed messages (e.g. a reconnect): reload every subscribed room.
    virtual void onResync() = 0;
};

// Thread-safe. The listener is set before start() and stays valid until stop() returns.
class Bus : public Plugin {
  public:
    PluginKind kind() const override { return PluginKind::bus; }

    virtual void setListener(BusListener* listener) = 0;
    // Delivers to every instance subscribed to the room, this one included.
    virtual Status publish(const std::string& roomId, std::uint64_t version,
                           const std::string& payload) = 0;
    // Subscriptions are reference counted by the core: called once when the instance gets
    // its first local connection in a room and once when it loses its last.
    virtual Status subscribe(const std::string& roomId) = 0;
    virtual Status unsubscribe(const std::string& roomId) = 0;
};

}  // namespace fp::sdk
