#include "notion_api.hpp"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace fp::notion {
namespace {
using Poco::JSON::Object;

std::string stringify(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

// A short, printable excerpt of a body that is not Notion's JSON (an HTML error page...).
std::string excerpt(const std::string& body) {
    std::string out;
    for (char c : body.substr(0, 120))
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    return out;
}
}  // namespace

std::string ApiAnswer::describe() const {
    if (!http.answered())
        return std::string(sinks::toString(http.error)) + ": " + http.errorMessage;
    std::string text = "HTTP " + std::to_string(http.status);
    if (!code.empty())
        text += " " + code;
    if (!message.empty())
        text += ": " + message;
    return text;
}

Object::Ptr equalsFilter(const std::string& property, const std::string& type,
                         const std::string& value) {
    Object::Ptr condition = new Object();
    condition->set("equals", value);
    Object::Ptr filter = new Object();
    filter->set("property", property);
    filter->set(type, condition);
    Object::Ptr body = new Object();
    body->set("filter", filter);
    return body;
}

NotionApi::NotionApi(const NotionSettings& settings, sinks::RequestPacer& pacer,
                     const std::atomic<bool>* abortFlag)
    : settings_(settings), pacer_(pacer), abortFlag_(abortFlag) {}

ApiAnswer NotionApi::call(sinks::HttpClient& client, const std::string& method,
                          const std::string& path, const Object::Ptr& body,
                          std::chrono::milliseconds timeout, bool idempotent) {
    ApiAnswer answer;
    if (!pacer_.acquire(abortFlag_)) {
        answer.http.error = sinks::TransportError::aborted;
        answer.http.errorMessage = "stopping";
        return answer;
    }
    sinks::HttpRequest request;
    request.method = method;
    request.url = settings_.baseUrl + path;
    request.timeout = timeout;
    request.idempotent = idempotent;
    request.headers = {"Authorization: Bearer " + settings_.token,
                       "Notion-Version: " + settings_.notionVersion, "Accept: application/json"};
    if (body) {
        request.body = stringify(body);
        request.headers.push_back("Content-Type: application/json");
    }
    answer.http = client.send(request);
    if (!answer.http.answered())
        return answer;
    try {
        Poco::JSON::Parser parser;
        answer.json = parser.parse(answer.http.body).extract<Object::Ptr>();
    } catch (const std::exception&) {
        answer.json = nullptr;
    }
    if (!answer.ok()) {
        if (answer.json) {
            answer.code = answer.json->optValue<std::string>("code", "");
            answer.message = answer.json->optValue<std::string>("message", "");
        } else {
            answer.message = "answer is not JSON: " + excerpt(answer.http.body);
        }
    } else if (!answer.json) {
        // A 2xx without Notion's JSON: the request may have worked, but we cannot tell.
        answer.message = "2xx answer is not JSON: " + excerpt(answer.http.body);
    }
    return answer;
}

ApiAnswer NotionApi::readSchema(sinks::HttpClient& client, std::chrono::milliseconds timeout) {
    return call(client, "GET", settings_.collectionPath(), nullptr, timeout);
}

ApiAnswer NotionApi::query(sinks::HttpClient& client, const Object::Ptr& body,
                           std::chrono::milliseconds timeout) {
    return call(client, "POST", settings_.collectionPath() + "/query", body, timeout);
}

ApiAnswer NotionApi::createPage(sinks::HttpClient& client, const Object::Ptr& properties) {
    Object::Ptr parent = new Object();
    parent->set(settings_.parentKey(), settings_.targetId);
    Object::Ptr body = new Object();
    body->set("parent", parent);
    body->set("properties", properties);
    return call(client, "POST", "/pages", body, settings_.timeout, false);
}

ApiAnswer NotionApi::updatePage(sinks::HttpClient& client, const std::string& pageId,
                                const Object::Ptr& properties) {
    Object::Ptr body = new Object();
    body->set("properties", properties);
    return call(client, "PATCH", "/pages/" + pageId, body, settings_.timeout);
}

}  // namespace fp::notion
