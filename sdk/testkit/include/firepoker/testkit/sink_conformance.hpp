// The sink conformance kit: delivery, idempotency by result id (also across a restart) and
// the classification of failures into retry / paused / failed, as Catch2 test cases.
//
//   class MyDestination : public fp::testkit::SinkDestination { ... };
//   static const bool kit = fp::testkit::registerSinkConformance(
//       "sink-mine", [] { return std::make_unique<MyDestination>(); }, {faults...});
//
// Link Catch2::Catch2WithMain. Tags: [conformance][sink] plus [faults] for the fault cases.
#pragma once

#include <string>

#include "firepoker/testkit/detail/sink_cases.hpp"
#include "firepoker/testkit/registration.hpp"

namespace fp::testkit {

inline bool registerSinkConformance(const std::string& label, SinkDestinationFactory factory,
                                    SinkConformanceOptions options = {}) {
    using Case = void (*)(const SinkDestinationFactory&, const SinkConformanceOptions&);
    struct Entry {
        const char* name;
        Case run;
    };
    static const Entry entries[] = {
        {"a delivered result is stored", detail::deliveredResultIsStored},
        {"every result of a batch is stored once, also with null fields",
         detail::everyResultOfABatchIsStoredOnce},
        {"delivering a result id again answers delivered and stores nothing more",
         detail::redeliveryIsIdempotent},
        {"a restarted sink still knows what it delivered", detail::idempotencySurvivesARestart},
    };
    for (const auto& entry : entries) {
        registerTestCase(label + " sink: " + entry.name, "[conformance][sink]",
                         [factory, options, run = entry.run] { run(factory, options); });
    }
    for (const auto& fault : options.faults) {
        registerTestCase(
            label + " sink: " + fault.name + " answers " + detail::describe(fault.expected),
            "[conformance][sink][faults]",
            [factory, options, fault] { detail::faultIsClassified(factory, options, fault); });
    }
    return true;
}

}  // namespace fp::testkit
