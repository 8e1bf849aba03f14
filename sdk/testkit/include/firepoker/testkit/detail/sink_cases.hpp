// Conformance: a sink stores each result it says it delivered, exactly once per result id
// (also across a restart), and classifies what goes wrong as retry, paused or failed.
#pragma once

#include "firepoker/testkit/detail/sink_fixture.hpp"

namespace fp::testkit::detail {

using fp::sdk::DeliveryOutcome;

inline void deliveredResultIsStored(const SinkDestinationFactory& factory,
                                    const SinkConformanceOptions&) {
    auto destination = factory();
    StartedSink sink(*destination);
    const auto id = uniqueId("r");
    auto result = sink.deliver(id, sampleResult(id, uniqueId("room")));
    REQUIRE(result.outcome == DeliveryOutcome::delivered);
    CHECK(copiesOf(*destination, id) == 1);
    CHECK(sink->readiness().ready);
}

inline void everyResultOfABatchIsStoredOnce(const SinkDestinationFactory& factory,
                                            const SinkConformanceOptions&) {
    auto destination = factory();
    StartedSink sink(*destination);
    const auto room = uniqueId("room");
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        ids.push_back(uniqueId("r"));
        const auto title = "story " + std::to_string(i);
        // Every other result has every nullable field null, as real results often do.
        const auto payload = i % 2 == 0 ? sampleResult(ids.back(), room, title)
                                        : sampleResultWithNulls(ids.back(), room, title);
        auto result = sink.deliver(ids.back(), payload);
        INFO(payload);
        REQUIRE(result.outcome == DeliveryOutcome::delivered);
    }
    for (const auto& id : ids) {
        INFO(id);
        CHECK(copiesOf(*destination, id) == 1);
    }
}

inline void redeliveryIsIdempotent(const SinkDestinationFactory& factory,
                                   const SinkConformanceOptions&) {
    auto destination = factory();
    StartedSink sink(*destination);
    const auto id = uniqueId("r");
    const auto payload = sampleResult(id, uniqueId("room"));
    REQUIRE(sink.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    // At-least-once delivery: the core may send the same result again (a crash between the
    // delivery and its acknowledgement). It must be answered `delivered`, and stored once.
    REQUIRE(sink.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    REQUIRE(sink.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    CHECK(copiesOf(*destination, id) == 1);
}

inline void idempotencySurvivesARestart(const SinkDestinationFactory& factory,
                                        const SinkConformanceOptions&) {
    auto destination = factory();
    const auto id = uniqueId("r");
    const auto payload = sampleResult(id, uniqueId("room"));
    {
        StartedSink first(*destination);
        REQUIRE(first.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    }
    StartedSink restarted(*destination);
    REQUIRE(restarted.deliver(id, payload).outcome == DeliveryOutcome::delivered);
    CHECK(copiesOf(*destination, id) == 1);
}

inline void faultIsClassified(const SinkDestinationFactory& factory,
                              const SinkConformanceOptions& options, const SinkFault& fault) {
    auto destination = fault.makeDestination ? fault.makeDestination() : factory();
    StartedSink sink(*destination, options.startsWhileDestinationFails);
    const auto id = uniqueId("r");
    const auto payload = fault.payload ? *fault.payload : sampleResult(id, uniqueId("room"));
    auto result = sink.deliver(id, payload);
    INFO("expected " << describe(fault.expected) << ", got " << describe(result.outcome) << ": "
                     << result.reason);
    CHECK(result.outcome == fault.expected);
    CHECK_FALSE(result.reason.empty());
    CHECK(result.retryAfter.count() >= 0);
    for (const auto& secret : fault.secrets) {
        INFO("the reason must not contain a secret");
        CHECK(result.reason.find(secret) == std::string::npos);
    }
    CHECK(copiesOf(*destination, id) == 0);
    if (fault.repair) {
        // Retried after the repair, the record goes through, once.
        fault.repair(*destination);
        auto again = sink.deliver(id, payload);
        CHECK(again.outcome == DeliveryOutcome::delivered);
        CHECK(copiesOf(*destination, id) == 1);
    }
}

}  // namespace fp::testkit::detail
