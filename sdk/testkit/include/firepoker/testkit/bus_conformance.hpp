// The bus conformance kit: delivery to subscribers (in order, byte for byte), nothing for
// rooms not subscribed or after unsubscribe, and delivery across instances.
//
//   static const bool kit = fp::testkit::registerBusConformance("bus-mine", makeBus, {});
//
// Tags: [conformance][bus].
#pragma once

#include <string>

#include "firepoker/testkit/detail/bus_cases.hpp"
#include "firepoker/testkit/registration.hpp"

namespace fp::testkit {

inline bool registerBusConformance(const std::string& label, BusFactory factory,
                                   BusConformanceOptions options = {}) {
    using Case = void (*)(const BusFactory&, const BusConformanceOptions&);
    struct Entry {
        const char* name;
        Case run;
        bool needsCrossInstance;
    };
    static const Entry entries[] = {
        {"a subscriber gets every state of its room, in order, byte for byte",
         detail::subscribersGetEveryStateInOrder, false},
        {"states of rooms not subscribed are not delivered", detail::otherRoomsAreNotDelivered,
         false},
        {"nothing arrives after unsubscribe, and subscribing again works",
         detail::nothingArrivesAfterUnsubscribe, false},
        {"every instance subscribed to the room gets its states", detail::otherInstancesGetTheState,
         true},
    };
    for (const auto& entry : entries) {
        if (entry.needsCrossInstance && !options.crossInstance)
            continue;
        registerTestCase(label + " bus: " + entry.name, "[conformance][bus]",
                         [factory, options, run = entry.run] { run(factory, options); });
    }
    return true;
}

}  // namespace fp::testkit
