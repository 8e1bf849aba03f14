#include "notion_sink.hpp"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "notion_outcomes.hpp"
#include "page_reader.hpp"
#include "property_values.hpp"

namespace fp::notion {
namespace {
using fp::sdk::DeliveryOutcome;
using fp::sdk::DeliveryResult;
using fp::sdk::Status;
using fp::sdk::StatusCode;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxRememberedPages = 10000;

std::string formatRate(double rate) {
    std::ostringstream out;
    out << rate;
    return out.str();
}

std::string joinSentences(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : "; ") + item;
    return out;
}

// A query's pages, oldest first by created_time (ISO-8601 text sorts by time).
std::vector<Object::Ptr> pagesOf(const ApiAnswer& answer) {
    std::vector<Object::Ptr> pages;
    auto results = answer.json ? answer.json->getArray("results") : nullptr;
    for (std::size_t i = 0; results && i < results->size(); ++i) {
        if (auto page = results->getObject(static_cast<unsigned>(i)))
            pages.push_back(page);
    }
    return pages;
}
}  // namespace

std::vector<std::string> NotionSink::checkOptions(const fp::sdk::PluginOptions& options) {
    std::vector<std::string> problems;
    (void)readSettings(options, processEnvironment(), problems);
    return problems;
}

NotionSink::NotionSink(const fp::sdk::PluginContext& context)
    : NotionSink(context, processEnvironment()) {}

NotionSink::NotionSink(const fp::sdk::PluginContext& context, const EnvLookup& env)
    : logger_(context.logger),
      instance_(context.instanceName),
      settings_(readSettings(context.options, env, settingsProblems_)),
      pacer_(settings_.requestsPerSecond, settings_.burst),
      api_(settings_, pacer_, &stopping_),
      client_(&stopping_) {}

NotionSink::~NotionSink() = default;

std::chrono::milliseconds NotionSink::afterTimeout() const {
    return std::min<std::chrono::milliseconds>(settings_.timeout, std::chrono::seconds(60));
}

void NotionSink::setNotReady(const std::string& reason) {
    std::lock_guard<std::mutex> lock(stateMutex_);
    notReadyReason_ = reason;
}

fp::sdk::Readiness NotionSink::readiness() const {
    if (schemaVerified_)
        return {};
    std::lock_guard<std::mutex> lock(stateMutex_);
    return {false,
            notReadyReason_.empty() ? "the database schema is not verified yet" : notReadyReason_};
}

Status NotionSink::verifySchema(std::chrono::milliseconds timeout) {
    auto answer = api_.readSchema(client_, timeout);
    const std::string what = settings_.generation == ApiGeneration::databases
                                 ? "database " + settings_.targetId
                                 : "data source " + settings_.targetId;
    if (!answer.ok() || !answer.json) {
        return Status::failure(StatusCode::unavailable,
                               "cannot read the schema of " + what + ": " + answer.describe());
    }
    auto problems = settings_.mapping.checkSchema(answer.json->getObject("properties"));
    if (!problems.empty()) {
        return Status::failure(StatusCode::invalid, "the property mapping does not match " + what +
                                                        ": " + joinSentences(problems));
    }
    schemaVerified_ = true;
    setNotReady("");
    return Status::success();
}

Status NotionSink::start() {
    if (!settingsProblems_.empty())
        return Status::failure(StatusCode::invalid, joinSentences(settingsProblems_));
    logger_->info("writing results to Notion " +
                  std::string(settings_.generation == ApiGeneration::databases ? "database "
                                                                               : "data source ") +
                  settings_.targetId + " at " + settings_.baseUrl + " (Notion-Version " +
                  settings_.notionVersion + ", at most " + formatRate(settings_.requestsPerSecond) +
                  " requests/s)");
    auto status = verifySchema(settings_.timeout);
    if (status.ok()) {
        logger_->info("the database schema matches the property mapping");
        return status;
    }
    if (status.code == StatusCode::invalid || settings_.requireAtStart)
        return status;
    // Notion down or refusing the token must not take planning poker down with it: start,
    // report not ready, and check again before the first delivery.
    logger_->error(status.message + "; results wait in the outbox until Notion answers");
    setNotReady(status.message);
    return Status::success();
}

void NotionSink::stop() {
    stopping_ = true;
}

bool NotionSink::canReadHistory() const {
    return settings_.mapping.find(Field::room) != nullptr &&
           settings_.mapping.find(Field::resultJson) != nullptr;
}

void NotionSink::rememberPage(const std::string& resultId, const std::string& pageId) {
    std::lock_guard<std::mutex> lock(stateMutex_);
    if (pages_.size() >= kMaxRememberedPages)
        pages_.clear();
    pages_[resultId] = pageId;
}

std::string NotionSink::knownPage(const std::string& resultId) const {
    std::lock_guard<std::mutex> lock(stateMutex_);
    auto it = pages_.find(resultId);
    return it == pages_.end() ? std::string() : it->second;
}

NotionSink::Found NotionSink::findPage(const std::string& resultId) {
    Found found;
    const MappedProperty* key = settings_.mapping.find(Field::resultId);
    auto body = equalsFilter(key->property, key->type, resultId);
    body->set("page_size", 10);
    auto answer = api_.query(client_, body, settings_.timeout);
    if (!answer.ok() || !answer.json) {
        found.failure = classifyFailure(answer, "look for the row of " + resultId, afterTimeout());
        return found;
    }
    found.answered = true;
    std::vector<std::pair<std::string, std::string>> matches;  // created_time, id
    for (const auto& page : pagesOf(answer)) {
        const std::string id = page->optValue<std::string>("id", "");
        if (isPageId(id) && pageText(page, key->property) == resultId)
            matches.emplace_back(page->optValue<std::string>("created_time", ""), id);
    }
    std::sort(matches.begin(), matches.end());
    if (matches.size() > 1) {
        logger_->warn("result " + resultId + " has " + std::to_string(matches.size()) +
                      " rows in Notion (made outside this server?); updating the oldest");
    }
    if (!matches.empty())
        found.pageId = matches.front().second;
    return found;
}

DeliveryResult NotionSink::deliver(const std::string& resultId, const std::string& resultJson) {
    if (stopping_)
        return {DeliveryOutcome::retry, {}, "the sink is stopping"};
    if (!schemaVerified_) {
        auto status = verifySchema(settings_.timeout);
        if (!status.ok()) {
            setNotReady(status.message);
            return {DeliveryOutcome::paused, {}, status.message};
        }
        logger_->info("the database schema matches the property mapping; delivering");
    }
    BuiltProperties built;
    try {
        built = buildProperties(settings_.mapping, resultJson);
    } catch (const std::exception& e) {
        return {DeliveryOutcome::failed, {}, std::string("unreadable result: ") + e.what()};
    }
    for (const auto& warning : built.warnings)
        logger_->warn("result " + resultId + ": " + warning);

    std::string pageId = knownPage(resultId);
    DeliveryResult last{DeliveryOutcome::retry, {}, ""};
    // A 409 (or a remembered row that is gone) means: look again, then write again, once.
    for (int round = 0; round < 2; ++round) {
        if (pageId.empty()) {
            auto found = findPage(resultId);
            if (!found.answered)
                return found.failure;
            pageId = found.pageId;
        }
        if (!pageId.empty()) {
            auto answer = api_.updatePage(client_, pageId, built.properties);
            if (answer.ok()) {
                rememberPage(resultId, pageId);
                return {DeliveryOutcome::delivered, {}, ""};
            }
            last =
                classifyFailure(answer, "update row " + pageId + " of " + resultId, afterTimeout());
            if (answer.http.status == 404 || answer.http.status == 409) {
                pageId.clear();  // deleted meanwhile, or a conflict: look again
                continue;
            }
            return last;
        }
        auto answer = api_.createPage(client_, built.properties);
        if (answer.ok() && answer.json) {
            const std::string id = answer.json->optValue<std::string>("id", "");
            if (isPageId(id))
                rememberPage(resultId, id);
            return {DeliveryOutcome::delivered, {}, ""};
        }
        last = classifyFailure(answer, "create the row of " + resultId, afterTimeout());
        if (answer.http.status != 409)
            return last;
    }
    return last;
}

fp::sdk::HistoryResult NotionSink::readHistory(const std::string& roomId) {
    fp::sdk::HistoryResult history;
    const MappedProperty* room = settings_.mapping.find(Field::room);
    const MappedProperty* stored = settings_.mapping.find(Field::resultJson);
    if (room == nullptr || stored == nullptr) {
        history.status =
            Status::failure(StatusCode::invalid, "the mapping writes no room or no result JSON");
        return history;
    }
    if (!schemaVerified_) {
        // Notion has not answered yet: do not keep a participant waiting for it.
        history.status = Status::failure(StatusCode::unavailable,
                                         "Notion is not verified yet: " + readiness().reason);
        return history;
    }
    sinks::HttpClient client(&stopping_);
    std::string cursor;
    for (int page = 0; page < settings_.maxHistoryPages; ++page) {
        auto body = equalsFilter(room->property, room->type, roomId);
        body->set("page_size", 100);
        Object::Ptr sort = new Object();
        if (const MappedProperty* at = settings_.mapping.find(Field::finalizedAt);
            at != nullptr && at->type == "date") {
            sort->set("property", at->property);
        } else {
            sort->set("timestamp", "created_time");
        }
        sort->set("direction", "descending");  // newest first: a capped read keeps the newest
        Array::Ptr sorts = new Array();
        sorts->add(sort);
        body->set("sorts", sorts);
        if (!cursor.empty())
            body->set("start_cursor", cursor);
        auto answer = api_.query(client, body, settings_.historyTimeout);
        if (!answer.ok() || !answer.json) {
            history.status =
                Status::failure(StatusCode::unavailable, "Notion: read the history of room " +
                                                             roomId + ": " + answer.describe());
            return history;
        }
        for (const auto& row : pagesOf(answer)) {
            std::string json = pageText(row, stored->property);
            if (!json.empty())
                history.results.push_back(std::move(json));
        }
        const bool more = answer.json->optValue<bool>("has_more", false);
        cursor = more ? answer.json->optValue<std::string>("next_cursor", "") : "";
        if (cursor.empty())
            return history;
    }
    logger_->warn("room " + roomId + ": history read back stops after " +
                  std::to_string(settings_.maxHistoryPages) + " pages (maxHistoryPages)");
    return history;
}

}  // namespace fp::notion
