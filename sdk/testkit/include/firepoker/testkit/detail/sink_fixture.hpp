// What the sink kit works with: a destination the plugin author describes (where the sink
// writes, and how to see what it wrote), the faults it can be put in, and sample results.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firepoker/sdk/sink.hpp"
#include "firepoker/testkit/conformance_support.hpp"

namespace fp::testkit {

// One place a sink delivers to (a folder, a local test HTTP server, a scratch database), fresh
// for each test case and shared by every sink made from it.
class SinkDestination {
  public:
    virtual ~SinkDestination() = default;
    // A new sink object, not started, delivering here. Called again to make the sink of a
    // restarted server: it must see what the first one wrote (idempotency survives restarts).
    virtual std::shared_ptr<fp::sdk::Sink> makeSink() = 0;
    // The result ids stored here, once per stored copy: a duplicate appears twice.
    virtual std::vector<std::string> storedResultIds() = 0;
};

using SinkDestinationFactory = std::function<std::unique_ptr<SinkDestination>()>;

// A way delivery can go wrong, and the outcome the sink must answer with:
//   retry   the destination may work later for this record (timeout, 5xx, 429, disk full)
//   paused  the sink cannot deliver anything now (bad credentials, missing database)
//   failed  this record can never be delivered (the destination refuses its data)
struct SinkFault {
    std::string name;  // in the test's name, e.g. "the folder is a file"
    fp::sdk::DeliveryOutcome expected = fp::sdk::DeliveryOutcome::retry;
    // A destination that fails this way (empty: the kit's normal destination factory).
    SinkDestinationFactory makeDestination;
    // A result to deliver instead of the kit's valid one (empty: a valid result).
    std::optional<std::string> payload;
    // Puts the destination right; after it the same result must be delivered, exactly once.
    // Give one for every retry or paused fault that can be repaired.
    std::function<void(SinkDestination&)> repair;
    // Text the failure reason must never contain (a token, a password).
    std::vector<std::string> secrets;
};

struct SinkConformanceOptions {
    std::vector<SinkFault> faults;
    // True when the sink must start even though its destination is unreachable (it should
    // report through readiness and retry rather than fail the server's start).
    bool startsWhileDestinationFails = true;
};

namespace detail {

// A finalized result as the core sends it (docs/plugin-authoring.md, "What a sink receives"):
// the fields a sink may rely on, with text that needs escaping almost everywhere.
inline std::string escapedJsonText(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '"' || c == '\\')
            escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

inline std::string sampleResult(const std::string& resultId, const std::string& roomId,
                                const std::string& title = "Caf\xc3\xa9 \"signup\" | flow\n#2") {
    return "{\"resultId\":\"" + resultId + "\",\"roomId\":\"" + roomId +
           "\",\"roomName\":\"Team <Blue> & *friends*\",\"story\":{\"title\":\"" +
           escapedJsonText(title) +
           "\",\"ref\":\"FP-12\",\"url\":\"https://tracker.example/FP-12\"},"
           "\"estimate\":\"5\",\"votes\":[{\"name\":\"Aiko\",\"card\":\"5\"},"
           "{\"name\":\"Bo\",\"card\":\"8\"},{\"name\":\"C\xc3\xa9line\",\"card\":\"?\"}],"
           "\"stats\":{\"average\":6.5,\"median\":6.5,\"min\":\"5\",\"max\":\"8\","
           "\"distribution\":{\"5\":1,\"8\":1,\"?\":1},\"consensus\":false,\"agreement\":0.5,"
           "\"votes\":3},\"rounds\":2,\"earlierRounds\":[{\"round\":1,\"votes\":[{\"name\":"
           "\"Aiko\",\"card\":\"13\"}],\"stats\":{\"average\":13,\"median\":13,\"min\":\"13\","
           "\"max\":\"13\",\"distribution\":{\"13\":1},\"consensus\":true,\"agreement\":1,"
           "\"votes\":1}}],\"finalizedAt\":\"2026-03-04T05:06:07.089Z\",\"participants\":3}";
}

// The same, as the core sends it for an anonymous room whose story has no reference or link
// and whose cards are not numbers: every field that may be null is null.
inline std::string sampleResultWithNulls(const std::string& resultId, const std::string& roomId,
                                         const std::string& title) {
    return "{\"resultId\":\"" + resultId + "\",\"roomId\":\"" + roomId + "\",\"roomName\":\"" +
           roomId + "\",\"story\":{\"title\":\"" + escapedJsonText(title) +
           "\",\"ref\":null,\"url\":null},\"estimate\":\"?\",\"votes\":[{\"name\":null,"
           "\"card\":\"?\"},{\"name\":null,\"card\":\"coffee\"}],\"stats\":{\"average\":null,"
           "\"median\":null,\"min\":null,\"max\":null,\"distribution\":{\"?\":1,\"coffee\":1},"
           "\"consensus\":false,\"agreement\":0.5,\"votes\":2},\"rounds\":1,\"earlierRounds\":[],"
           "\"finalizedAt\":\"2026-03-04T05:06:08.000Z\",\"participants\":2}";
}

inline std::size_t copiesOf(SinkDestination& destination, const std::string& resultId) {
    std::size_t n = 0;
    for (const auto& id : destination.storedResultIds())
        n += id == resultId ? 1 : 0;
    return n;
}

inline const char* describe(fp::sdk::DeliveryOutcome outcome) {
    switch (outcome) {
        case fp::sdk::DeliveryOutcome::delivered:
            return "delivered";
        case fp::sdk::DeliveryOutcome::retry:
            return "retry";
        case fp::sdk::DeliveryOutcome::failed:
            return "failed";
        case fp::sdk::DeliveryOutcome::paused:
            return "paused";
    }
    return "?";
}

// A sink made from a destination and started; stopped at the end of the case.
class StartedSink {
  public:
    explicit StartedSink(SinkDestination& destination, bool mustStart = true)
        : sink_(destination.makeSink()) {
        REQUIRE(sink_ != nullptr);
        auto status = sink_->start();
        INFO(status.message);
        if (mustStart)
            REQUIRE(status.ok());
    }
    ~StartedSink() { sink_->stop(); }
    StartedSink(const StartedSink&) = delete;
    StartedSink& operator=(const StartedSink&) = delete;

    fp::sdk::Sink* operator->() { return sink_.get(); }

    fp::sdk::DeliveryResult deliver(const std::string& resultId, const std::string& payload) {
        auto result = sink_->deliver(resultId, payload);
        INFO("outcome " << describe(result.outcome) << ": " << result.reason);
        return result;
    }

  private:
    std::shared_ptr<fp::sdk::Sink> sink_;
};

}  // namespace detail
}  // namespace fp::testkit
