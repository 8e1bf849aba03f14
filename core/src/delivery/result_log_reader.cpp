#include "delivery/result_log_reader.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include "delivery/result_log.hpp"
#include "room/sink_record.hpp"

namespace fp::delivery {
namespace {
using Poco::JSON::Object;

// Nesting of lines inside lines (a docker json-file line inside a CloudWatch event...).
constexpr int kMaxDepth = 4;

const std::set<std::string>& knownEvents() {
    static const std::set<std::string> events = {result_event::committed, result_event::delivered,
                                                 result_event::retrying,  result_event::failed,
                                                 result_event::gaveUp,    result_event::pending};
    return events;
}

std::string_view trim(std::string_view text) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

// The outermost balanced {...} spans of a line, in order. Quotes count only inside braces, so
// free text around the objects (a timestamp, a text log prefix) cannot confuse the scan; an
// object cut short leaves its complete inner objects as spans.
std::vector<std::pair<std::size_t, std::size_t>> objectSpans(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> complete;
    std::vector<std::size_t> open;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"' && !open.empty()) {
            inString = true;
        } else if (c == '{') {
            open.push_back(i);
        } else if (c == '}' && !open.empty()) {
            complete.emplace_back(open.back(), i + 1);
            open.pop_back();
        }
    }
    std::sort(complete.begin(), complete.end());
    std::vector<std::pair<std::size_t, std::size_t>> outermost;
    for (const auto& span : complete) {
        if (outermost.empty() || span.first >= outermost.back().second)
            outermost.push_back(span);
    }
    return outermost;
}

Object::Ptr parseObject(std::string_view text, std::string& error) {
    try {
        // Members kept in their order, so a record is written back as it was logged.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        auto parsed = parser.parse(std::string(text));
        if (parsed.type() == typeid(Object::Ptr))
            return parsed.extract<Object::Ptr>();
        error = "not a JSON object";
    } catch (const Poco::Exception& e) {
        error = "not valid JSON: " + e.displayText();
    } catch (const std::exception& e) {
        error = std::string("not valid JSON: ") + e.what();
    }
    return nullptr;
}

std::string stringify(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

std::string optionalString(const Object::Ptr& object, const std::string& key) {
    if (!object->has(key))
        return "";
    auto value = object->get(key);
    return value.isString() ? value.extract<std::string>() : "";
}

// Does the work for one line: finds every event in it, or says why a result line is unreadable.
class LineScan {
  public:
    explicit LineScan(std::string where) : where_(std::move(where)) {}

    void run(std::string_view line) { extract(line, 0); }
    std::vector<ResultLogEvent>& events() { return events_; }
    const std::string& problem() const { return problem_; }
    // Whether any whole object on the line was a result event (read, refused or of a later
    // version): then the line was not cut short.
    bool sawResultObject() const { return sawResultObject_; }

  private:
    void extract(std::string_view text, int depth) {
        // `"message": "<line>",` as `aws logs filter-log-events --output json` prints it.
        const std::string_view trimmed = trim(text);
        if (trimmed.rfind("\"message\"", 0) == 0 || trimmed.rfind("\"log\"", 0) == 0) {
            std::string_view member = trimmed;
            if (!member.empty() && member.back() == ',')
                member.remove_suffix(1);
            std::string ignored;
            if (auto object = parseObject("{" + std::string(member) + "}", ignored)) {
                handleObject(object, depth);
                return;
            }
        }
        for (const auto& [begin, end] : objectSpans(text)) {
            const std::string_view span = text.substr(begin, end - begin);
            std::string error;
            auto object = parseObject(span, error);
            if (!object) {
                if (mentionsResultEvent(span))
                    problem_ = error;
                continue;
            }
            handleObject(object, depth);
        }
    }

    void handleObject(const Object::Ptr& object, int depth) {
        const std::string event = optionalString(object, "event");
        if (event.rfind("result.", 0) == 0) {
            sawResultObject_ = true;
            // An event of a later version is not this reader's business.
            if (knownEvents().count(event) != 0)
                readEvent(object, event);
            return;
        }
        if (depth >= kMaxDepth)
            return;
        // A line carried inside another: CloudWatch ("message"), Docker's json-file ("log").
        for (const char* key : {"message", "log"}) {
            if (object->has(key) && object->get(key).isString())
                extract(object->getValue<std::string>(key), depth + 1);
        }
        if (auto events = object->getArray("events")) {
            for (std::size_t i = 0; i < events->size(); ++i) {
                if (auto item = events->getObject(static_cast<unsigned>(i)))
                    handleObject(item, depth + 1);
            }
        }
    }

    void readEvent(const Object::Ptr& object, const std::string& name) {
        ResultLogEvent event;
        event.event = name;
        event.where = where_;
        event.resultId = optionalString(object, "resultId");
        event.roomId = optionalString(object, "roomId");
        if (event.resultId.empty()) {
            problem_ = name + " without a resultId";
            return;
        }
        if (name == result_event::committed) {
            if (auto sinks = object->getArray("sinks")) {
                for (std::size_t i = 0; i < sinks->size(); ++i) {
                    auto sink = sinks->get(static_cast<unsigned>(i));
                    if (sink.isString())
                        event.sinks.push_back(sink.extract<std::string>());
                }
            }
        } else {
            event.sink = optionalString(object, "sink");
            if (event.sink.empty()) {
                problem_ = name + " of " + event.resultId + " without a sink";
                return;
            }
        }
        event.reason =
            optionalString(object, name == result_event::pending ? "lastError" : "reason");
        event.nextAttemptAt = optionalString(object, "nextAttemptAt");
        if (object->has("attempts")) {
            try {
                event.attempts = object->getValue<std::uint32_t>("attempts");
            } catch (const std::exception&) {
            }
        }
        if (auto record = object->getObject("record")) {
            event.record = stringify(record);
            try {
                const auto decoded = room::decodeSinkRecord(event.record);
                if (decoded.resultId != event.resultId) {
                    problem_ =
                        name + " of " + event.resultId + " holds the record of " + decoded.resultId;
                    return;
                }
            } catch (const std::exception& e) {
                problem_ =
                    name + " of " + event.resultId + ": the record is not a result: " + e.what();
                return;
            }
        } else if (name == result_event::committed) {
            problem_ = name + " of " + event.resultId + " without its record";
            return;
        }
        events_.push_back(std::move(event));
    }

    std::string where_;
    std::vector<ResultLogEvent> events_;
    std::string problem_;
    bool sawResultObject_ = false;
};
}  // namespace

bool mentionsResultEvent(std::string_view text) {
    // Backwards from each `result.`: a quote (maybe escaped), ':', a quote, then `event`.
    for (auto at = text.find("result."); at != std::string_view::npos;
         at = text.find("result.", at + 1)) {
        std::size_t i = at;
        auto skipQuote = [&]() {
            if (i == 0 || text[i - 1] != '"')
                return false;
            --i;
            if (i > 0 && text[i - 1] == '\\')
                --i;
            return true;
        };
        auto skipSpaces = [&]() {
            while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
                --i;
        };
        if (!skipQuote())
            continue;
        skipSpaces();
        if (i == 0 || text[i - 1] != ':')
            continue;
        --i;
        skipSpaces();
        if (!skipQuote())
            continue;
        if (i >= 5 && text.substr(i - 5, 5) == "event")
            return true;
    }
    return false;
}

void ResultLogReader::readLine(std::string_view line, const std::string& source,
                               std::size_t lineNumber) {
    ++linesRead_;
    const std::string where = source + ":" + std::to_string(lineNumber);
    LineScan scan(where);
    scan.run(line);
    auto& found = scan.events();
    if (!found.empty()) {
        ++resultLines_;
        for (auto& event : found)
            events_.push_back(std::move(event));
    }
    if (!scan.problem().empty()) {
        unreadable_.push_back({where, scan.problem()});
    } else if (!scan.sawResultObject() && mentionsResultEvent(line)) {
        unreadable_.push_back(
            {where, "names a result event but holds no complete one (cut short?)"});
    }
}

void ResultLogReader::readStream(std::istream& in, const std::string& source) {
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line))
        readLine(line, source, ++number);
}

}  // namespace fp::delivery
