#include "delivery/replay_plan.hpp"

#include <algorithm>
#include <map>

#include "delivery/result_log.hpp"
#include "room/sink_record.hpp"

namespace fp::delivery {
namespace {
// Everything the log says about one result.
struct ResultHistory {
    std::string roomId;
    std::string record;
    bool committed = false;
    std::vector<std::string> sinks;                          // committed for, in order
    std::map<std::string, std::string> deliveredAt;          // sink -> where the delivered line is
    std::map<std::string, const ResultLogEvent*> lastState;  // sink -> its latest line
};

void addSink(std::vector<std::string>& sinks, const std::string& sink) {
    if (std::find(sinks.begin(), sinks.end(), sink) == sinks.end())
        sinks.push_back(sink);
}

std::string describeState(const ResultLogEvent& event) {
    std::string text = event.event.substr(std::string("result.").size());
    if (!event.reason.empty())
        text += ": " + event.reason;
    return text + " (" + event.where + ")";
}

std::string titleOf(const std::string& record) {
    try {
        return room::decodeSinkRecord(record).story.title;
    } catch (const std::exception&) {
        return "";
    }
}
}  // namespace

std::size_t ReplayPlan::count(ReplayItem::Action action) const {
    return static_cast<std::size_t>(std::count_if(
        items.begin(), items.end(), [action](const ReplayItem& i) { return i.action == action; }));
}

ReplayPlan planReplay(const std::vector<ResultLogEvent>& events,
                      const std::vector<std::string>& configuredSinks) {
    std::vector<std::string> order;
    std::map<std::string, ResultHistory> results;
    for (const auto& event : events) {
        auto [it, added] = results.try_emplace(event.resultId);
        if (added)
            order.push_back(event.resultId);
        ResultHistory& history = it->second;
        if (history.roomId.empty())
            history.roomId = event.roomId;
        if (event.event == result_event::committed) {
            history.committed = true;
            // The commit's own record wins over one carried by a later line.
            history.record = event.record;
            for (const auto& sink : event.sinks)
                addSink(history.sinks, sink);
            continue;
        }
        if (history.record.empty())
            history.record = event.record;
        history.lastState[event.sink] = &event;
        if (event.event == result_event::delivered)
            history.deliveredAt.emplace(event.sink, event.where);
    }

    ReplayPlan plan;
    plan.results = order.size();
    for (const auto& resultId : order) {
        const ResultHistory& history = results.at(resultId);
        if (history.committed)
            ++plan.committed;
        std::vector<std::string> sinks = history.sinks;
        if (!history.committed) {
            for (const auto& [sink, event] : history.lastState)
                addSink(sinks, sink);
        }
        const std::string title = titleOf(history.record);
        for (const auto& sink : sinks) {
            ReplayItem item;
            item.resultId = resultId;
            item.roomId = history.roomId;
            item.sink = sink;
            item.record = history.record;
            item.storyTitle = title;
            if (auto delivered = history.deliveredAt.find(sink);
                delivered != history.deliveredAt.end()) {
                item.action = ReplayItem::Action::skipDelivered;
                item.why = "already delivered per the log (" + delivered->second + ")";
            } else if (std::find(configuredSinks.begin(), configuredSinks.end(), sink) ==
                       configuredSinks.end()) {
                item.action = ReplayItem::Action::skipNoSink;
                item.why = "sink " + sink + " is not configured now";
            } else if (history.record.empty()) {
                item.action = ReplayItem::Action::missingRecord;
                item.why =
                    "not delivered per the log, and no line in the files holds its record (its "
                    "result.committed line is missing)";
            } else {
                item.action = ReplayItem::Action::deliver;
                auto last = history.lastState.find(sink);
                item.why = last == history.lastState.end() ? "committed, no delivery logged"
                                                           : describeState(*last->second);
            }
            plan.items.push_back(std::move(item));
        }
    }
    return plan;
}

}  // namespace fp::delivery
