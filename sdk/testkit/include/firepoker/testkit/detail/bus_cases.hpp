// Conformance: a bus delivers each published state to the subscribers of its room, in
// order and byte for byte, and nothing after unsubscribe.
#pragma once

#include "firepoker/testkit/detail/bus_fixture.hpp"

namespace fp::testkit::detail {

inline std::string statePayload(std::uint64_t version) {
    std::string payload = "{\"type\":\"state\",\"room\":{\"version\":" + std::to_string(version) +
                          ",\"name\":\"Caf\xc3\xa9\\nTeam\"}}";
    if (version % 5 == 0)
        payload += std::string(64 * 1024, ' ');  // a large state now and then
    return payload;
}

inline void subscribersGetEveryStateInOrder(const BusFactory& factory,
                                            const BusConformanceOptions& options) {
    StartedBus bus(factory);
    const auto room = uniqueId("order");
    bus.subscribe(room);
    for (std::uint64_t v = 1; v <= 20; ++v)
        bus.publish(room, v, statePayload(v));
    auto got = bus.listener().waitFor(room, 20, options.deliveryTimeoutMs);
    REQUIRE(got.size() == 20);
    for (std::uint64_t v = 1; v <= 20; ++v) {
        CHECK(got[v - 1].roomId == room);
        CHECK(got[v - 1].version == v);
        CHECK(got[v - 1].payload == statePayload(v));
    }
}

inline void otherRoomsAreNotDelivered(const BusFactory& factory,
                                      const BusConformanceOptions& options) {
    StartedBus bus(factory);
    const auto mine = uniqueId("mine");
    const auto other = uniqueId("other");
    bus.subscribe(mine);
    bus.publish(other, 1, statePayload(1));
    bus.publish(mine, 1, statePayload(1));
    REQUIRE(bus.listener().waitFor(mine, 1, options.deliveryTimeoutMs).size() == 1);
    sleepMs(options.quietMs);
    CHECK(bus.listener().forRoom(other).empty());
}

inline void nothingArrivesAfterUnsubscribe(const BusFactory& factory,
                                           const BusConformanceOptions& options) {
    StartedBus bus(factory);
    const auto room = uniqueId("unsub");
    bus.subscribe(room);
    bus.publish(room, 1, statePayload(1));
    REQUIRE(bus.listener().waitFor(room, 1, options.deliveryTimeoutMs).size() == 1);
    REQUIRE(bus->unsubscribe(room).ok());
    bus.publish(room, 2, statePayload(2));
    sleepMs(options.quietMs);
    CHECK(bus.listener().forRoom(room).size() == 1);
    // Subscribing again works (the core subscribes on the first local connection again).
    bus.subscribe(room);
    bus.publish(room, 3, statePayload(3));
    auto got = bus.listener().waitFor(room, 2, options.deliveryTimeoutMs);
    REQUIRE(got.size() == 2);
    CHECK(got[1].version == 3);
}

inline void otherInstancesGetTheState(const BusFactory& factory,
                                      const BusConformanceOptions& options) {
    StartedBus first(factory);
    StartedBus second(factory);
    StartedBus bystander(factory);
    const auto room = uniqueId("shared");
    first.subscribe(room);
    second.subscribe(room);
    first.publish(room, 1, statePayload(1));
    second.publish(room, 2, statePayload(2));
    for (auto* bus : {&first, &second}) {
        auto got = bus->listener().waitFor(room, 2, options.deliveryTimeoutMs);
        REQUIRE(got.size() == 2);
        CHECK(got[0].version == 1);
        CHECK(got[1].version == 2);
        CHECK(got[1].payload == statePayload(2));
    }
    sleepMs(options.quietMs);
    CHECK(bystander.listener().forRoom(room).empty());
}

}  // namespace fp::testkit::detail
