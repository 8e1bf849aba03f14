// What the bus brings: each state goes to the fan-out, a possible loss (reconnect) to the
// resync. Nothing else listens to the bus.
#pragma once

#include "firepoker/sdk/bus.hpp"
#include "service/room_fanout.hpp"
#include "service/room_resync.hpp"

namespace fp::service {

class BusInbox final : public fp::sdk::BusListener {
  public:
    BusInbox(RoomFanout& fanout, RoomResync& resync) : fanout_(fanout), resync_(resync) {}

    void onRoomState(const std::string& roomId, std::uint64_t version,
                     const std::string& payload) override {
        fanout_.deliver(roomId, version, payload);
    }
    void onResync() override { resync_.resyncAll(); }

  private:
    RoomFanout& fanout_;
    RoomResync& resync_;
};

}  // namespace fp::service
