// Reads the result log (result_log.hpp) back out of whatever a log store hands over, one line
// at a time:
//   - the server's own lines: JSON format (the event's members in the envelope), text format
//     (`2026-... info  [results] {"event":...}`), or the bare JSON object;
//   - a `docker logs` capture (the same lines), Docker's json-file log (`{"log":"<line>\n",...}`);
//   - CloudWatch Logs: an export (`2026-...Z <line>`), `aws logs tail` (timestamp prefix),
//     `aws logs filter-log-events` as JSON (objects or an "events" array with a "message" field
//     holding the line, pretty-printed `"message": "<line>",` lines included) or as text (tab
//     separated columns);
//   - several events on one line (a JSON array, `--output text` of a query).
// Lines without a result event are ignored; a line that looks like one (it names a
// "result.*" event) but cannot be read (cut short, not JSON, a record that is not a sink
// record) is reported with its file and line number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace fp::delivery {

struct ResultLogEvent {
    std::string event;  // result_event::* (result_log.hpp)
    std::string resultId;
    std::string roomId;
    std::string sink;                // every event but result.committed
    std::vector<std::string> sinks;  // result.committed: the sinks it was committed for
    std::string record;              // the sink record (a JSON object) when the line holds it
    std::string reason;              // retrying, failed, gave_up: reason; pending: lastError
    std::uint32_t attempts = 0;
    std::string nextAttemptAt;  // retrying
    std::string where;          // "file:line"
};

struct UnreadableLine {
    std::string where;  // "file:line"
    std::string why;
};

class ResultLogReader {
  public:
    // One line (its end of line may be there or not); `source` names the file in `where`.
    void readLine(std::string_view line, const std::string& source, std::size_t lineNumber);
    // Every line of `in`, numbered from 1.
    void readStream(std::istream& in, const std::string& source);

    const std::vector<ResultLogEvent>& events() const { return events_; }
    const std::vector<UnreadableLine>& unreadable() const { return unreadable_; }
    std::size_t linesRead() const { return linesRead_; }
    std::size_t resultLines() const { return resultLines_; }  // lines with at least one event

  private:
    std::vector<ResultLogEvent> events_;
    std::vector<UnreadableLine> unreadable_;
    std::size_t linesRead_ = 0;
    std::size_t resultLines_ = 0;
};

// True when `text` names a result event ("event":"result.…", quotes escaped or not): a line
// that should have been readable.
bool mentionsResultEvent(std::string_view text);

}  // namespace fp::delivery
