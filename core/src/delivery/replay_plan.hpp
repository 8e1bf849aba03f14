// What a replay of the result log has to do: for every result found in the log and every sink
// it was committed for, deliver it, or skip it and say why. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "delivery/result_log_reader.hpp"

namespace fp::delivery {

struct ReplayItem {
    enum class Action {
        deliver,        // no result.delivered line for this sink: deliver it now
        skipDelivered,  // the log says it was delivered to this sink
        skipNoSink,     // the sink is not configured now
        missingRecord,  // to deliver, but no line in the files holds the record
    };
    Action action = Action::deliver;
    std::string resultId;
    std::string roomId;
    std::string sink;
    std::string record;      // the sink record (JSON), when known
    std::string storyTitle;  // for people reading the report
    std::string why;         // skips: the reason; deliver: the last state logged for the sink
};

struct ReplayPlan {
    std::size_t results = 0;        // distinct result ids in the log
    std::size_t committed = 0;      // of them, with their result.committed line
    std::vector<ReplayItem> items;  // results in the order they first appear, sinks in order

    std::size_t count(ReplayItem::Action action) const;
};

// `configuredSinks`: the sink instance names of the config the replay delivers with.
// A result's sinks are those of its result.committed line, or, without one, those named by
// its other lines. Sinks configured now that a result was not committed for are left alone.
ReplayPlan planReplay(const std::vector<ResultLogEvent>& events,
                      const std::vector<std::string>& configuredSinks);

}  // namespace fp::delivery
