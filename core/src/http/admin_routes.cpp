#include "http/admin_routes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <sstream>

#include "http/api_routes.hpp"
#include "room/time_format.hpp"
#include "util/crypto.hpp"

namespace fp::http {
namespace {
using fp::sdk::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

const std::string kPrefix = "/api/admin/";
const std::string kFailed = "/api/admin/outbox/failed";

HttpResponse json(int status, const Object::Ptr& body) {
    std::ostringstream out;
    body->stringify(out);
    HttpResponse response;
    response.status = status;
    response.contentType = "application/json";
    response.body = out.str();
    response.headers["Cache-Control"] = "no-store";
    return response;
}

HttpResponse error(int status, const std::string& code, const std::string& message = "") {
    Object::Ptr body = new Object();
    body->set("error", code);
    if (!message.empty())
        body->set("message", message);
    return json(status, body);
}

Object::Ptr describe(const fp::sdk::OutboxRecord& record) {
    Object::Ptr item = new Object();
    item->set("id", record.id);
    item->set("sink", record.sink);
    item->set("resultId", record.resultId);
    item->set("attempts", record.attempts);
    item->set("lastError", record.lastError);
    item->set("createdAt", room::formatIsoUtcMs(record.createdAtMs));
    try {
        Poco::JSON::Parser parser;
        item->set("result", parser.parse(record.payload));
    } catch (const std::exception&) {
        item->set("result", record.payload);
    }
    return item;
}
}  // namespace

AdminRoutes::AdminRoutes(fp::sdk::Storage& storage, std::optional<std::string> token,
                         service::HttpRouter& next, std::function<void()> onRequeue)
    : storage_(storage), token_(std::move(token)), next_(next), onRequeue_(std::move(onRequeue)) {}

bool AdminRoutes::handles(const std::string& path) const {
    return path.rfind(kPrefix, 0) == 0 || next_.handles(path);
}

bool AdminRoutes::authorized(const fp::sdk::HttpRequest& request) const {
    auto it = request.headers.find("authorization");
    if (!token_ || it == request.headers.end())
        return false;
    return util::constantTimeEquals(it->second, "Bearer " + *token_);
}

HttpResponse AdminRoutes::handle(const fp::sdk::HttpRequest& request) {
    if (request.path.rfind(kPrefix, 0) != 0)
        return next_.handle(request);
    if (!token_)
        return error(404, "not_found", "admin routes are disabled: set FP_ADMIN_TOKEN");
    if (!authorized(request)) {
        auto response = error(401, "unauthorized", "send Authorization: Bearer <FP_ADMIN_TOKEN>");
        response.headers["WWW-Authenticate"] = "Bearer realm=\"fire-poker admin\"";
        return response;
    }
    const std::string& path = request.path;
    if (path == kFailed) {
        if (request.method != "GET" && request.method != "HEAD")
            return error(405, "method_not_allowed");
        return listFailed();
    }
    if (path == kFailed + "/requeue") {
        if (request.method != "POST")
            return error(405, "method_not_allowed");
        return requeueAll(queryParameter(request.query, "sink"));
    }
    static const std::string requeueSuffix = "/requeue";
    if (path.rfind(kFailed + "/", 0) == 0 &&
        path.size() > kFailed.size() + 1 + requeueSuffix.size() &&
        path.compare(path.size() - requeueSuffix.size(), requeueSuffix.size(), requeueSuffix) ==
            0) {
        if (request.method != "POST")
            return error(405, "method_not_allowed");
        std::string id;
        Poco::URI::decode(path.substr(kFailed.size() + 1,
                                      path.size() - kFailed.size() - 1 - requeueSuffix.size()),
                          id);
        return requeueOne(id);
    }
    return error(404, "not_found");
}

HttpResponse AdminRoutes::listFailed() {
    auto failed = storage_.listFailedOutbox();
    if (!failed.status.ok())
        return error(503, "unavailable", failed.status.message);
    Array::Ptr records = new Array();
    for (const auto& record : failed.records)
        records->add(describe(record));
    Object::Ptr body = new Object();
    body->set("failed", records);
    return json(200, body);
}

HttpResponse AdminRoutes::requeueOne(const std::string& id) {
    auto status = storage_.requeueFailedOutbox(id);
    if (status.code == fp::sdk::StatusCode::notFound)
        return error(404, "not_found", status.message);
    if (!status.ok())
        return error(503, "unavailable", status.message);
    if (onRequeue_)
        onRequeue_();
    Array::Ptr ids = new Array();
    ids->add(id);
    Object::Ptr body = new Object();
    body->set("requeued", ids);
    return json(200, body);
}

HttpResponse AdminRoutes::requeueAll(const std::string& sink) {
    auto failed = storage_.listFailedOutbox();
    if (!failed.status.ok())
        return error(503, "unavailable", failed.status.message);
    Array::Ptr ids = new Array();
    for (const auto& record : failed.records) {
        if (!sink.empty() && record.sink != sink)
            continue;
        if (storage_.requeueFailedOutbox(record.id).ok())
            ids->add(record.id);
    }
    if (onRequeue_ && ids->size() > 0)
        onRequeue_();
    Object::Ptr body = new Object();
    body->set("requeued", ids);
    return json(200, body);
}

}  // namespace fp::http
