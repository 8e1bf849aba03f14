#include "http/api_routes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <sstream>

#include "room/history_export.hpp"
#include "room/public_state.hpp"
#include "room/text_validation.hpp"

namespace fp::http {
namespace {
using fp::sdk::HttpResponse;

HttpResponse json(int status, const std::string& body) {
    HttpResponse response;
    response.status = status;
    response.contentType = "application/json";
    response.body = body;
    response.headers["Cache-Control"] = "no-store";
    return response;
}

HttpResponse errorResponse(int status, const std::string& code) {
    return json(status, "{\"error\":\"" + code + "\"}");
}

// The answer for a room that could not be read.
HttpResponse readFailure(service::ReadStatus status) {
    switch (status) {
        case service::ReadStatus::notFound:
            return errorResponse(404, "not_found");
        case service::ReadStatus::unavailable:
            return errorResponse(503, "unavailable");
        case service::ReadStatus::found:
        case service::ReadStatus::unreadable:
            break;
    }
    return errorResponse(500, "internal");
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}
}  // namespace

std::string queryParameter(const std::string& query, const std::string& key) {
    std::size_t start = 0;
    while (start <= query.size()) {
        auto end = query.find('&', start);
        if (end == std::string::npos)
            end = query.size();
        const std::string pair = query.substr(start, end - start);
        const auto eq = pair.find('=');
        std::string name;
        std::string value;
        Poco::URI::decode(pair.substr(0, eq), name);
        if (eq != std::string::npos)
            Poco::URI::decode(pair.substr(eq + 1), value);
        if (name == key)
            return value;
        start = end + 1;
    }
    return "";
}

ApiRoutes::ApiRoutes(service::RoomService& rooms, metrics::MetricsRegistry& metrics,
                     ReadinessProbe readiness)
    : rooms_(rooms), metrics_(metrics), readiness_(std::move(readiness)) {}

bool ApiRoutes::handles(const std::string& path) const {
    return path == "/healthz" || path == "/readyz" || path == "/metrics" ||
           path.rfind("/api/", 0) == 0;
}

HttpResponse ApiRoutes::handle(const fp::sdk::HttpRequest& request) {
    if (request.method != "GET" && request.method != "HEAD") {
        auto response = errorResponse(405, "method_not_allowed");
        response.headers["Allow"] = "GET, HEAD";
        return response;
    }
    const std::string& path = request.path;
    if (path == "/healthz")
        return json(200, R"({"status":"ok"})");
    if (path == "/readyz")
        return readyz();
    if (path == "/metrics") {
        HttpResponse response;
        response.contentType = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics_.renderPrometheus();
        response.headers["Cache-Control"] = "no-store";
        return response;
    }
    static const std::string roomsPrefix = "/api/rooms/";
    if (path.rfind(roomsPrefix, 0) == 0) {
        std::string rest = path.substr(roomsPrefix.size());
        static const std::string historySuffix = "/history";
        if (rest.size() > historySuffix.size() &&
            rest.compare(rest.size() - historySuffix.size(), historySuffix.size(), historySuffix) ==
                0) {
            return history(rest.substr(0, rest.size() - historySuffix.size()), request.query);
        }
        return room(rest);
    }
    return errorResponse(404, "not_found");
}

HttpResponse ApiRoutes::readyz() const {
    std::vector<std::string> reasons;
    if (draining_)
        reasons.push_back("shutting down");
    auto more = readiness_ ? readiness_() : std::vector<std::string>{};
    reasons.insert(reasons.end(), more.begin(), more.end());
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object();
    body->set("ready", reasons.empty());
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array();
    for (const auto& reason : reasons)
        list->add(reason);
    body->set("reasons", list);
    return json(reasons.empty() ? 200 : 503, stringify(body));
}

HttpResponse ApiRoutes::room(const std::string& roomId) {
    if (!room::isValidRoomId(roomId))
        return errorResponse(404, "not_found");
    const auto loaded = rooms_.read(roomId);
    if (loaded.status != service::ReadStatus::found)
        return readFailure(loaded.status);
    return json(200, room::publicStateJson(*loaded.room));
}

HttpResponse ApiRoutes::history(const std::string& roomId, const std::string& query) {
    if (!room::isValidRoomId(roomId))
        return errorResponse(404, "not_found");
    const std::string format = queryParameter(query, "format");
    if (!format.empty() && format != "json" && format != "csv" && format != "md") {
        return errorResponse(400, "bad_format");
    }
    const auto loaded = rooms_.read(roomId);
    if (loaded.status != service::ReadStatus::found)
        return readFailure(loaded.status);
    const room::Room& stored = *loaded.room;
    HttpResponse response;
    response.headers["Cache-Control"] = "no-store";
    if (format == "csv") {
        response.contentType = "text/csv; charset=utf-8";
        response.headers["Content-Disposition"] =
            "attachment; filename=\"" + roomId + "-history.csv\"";
        response.body = room::renderHistoryCsv(stored);
    } else if (format == "md") {
        response.contentType = "text/markdown; charset=utf-8";
        response.headers["Content-Disposition"] =
            "attachment; filename=\"" + roomId + "-history.md\"";
        response.body = room::renderHistoryMarkdown(stored);
    } else {
        response.contentType = "application/json";
        response.body = room::renderHistoryJson(stored);
    }
    return response;
}

}  // namespace fp::http
