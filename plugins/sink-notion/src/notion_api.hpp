// The calls of Notion's REST API that the sink makes (NOTION.md), each paced by the sink's
// request rate. Every request carries Authorization, Notion-Version and, with a body,
// Content-Type; nothing here logs, so the token never reaches a log line.
#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <string>

#include "http_client.hpp"
#include "notion_settings.hpp"
#include "request_pacer.hpp"

namespace fp::notion {

struct ApiAnswer {
    sinks::HttpResponse http;
    Poco::JSON::Object::Ptr json;  // the body when it is a JSON object
    std::string code;              // Notion's error code ("rate_limited"...), when given
    std::string message;           // Notion's error message, or a short description

    bool ok() const { return http.answered() && http.status >= 200 && http.status < 300; }
    // "HTTP 429 rate_limited: ..." or "timed out: ..."; for logs and /readyz.
    std::string describe() const;
};

class NotionApi {
  public:
    NotionApi(const NotionSettings& settings, sinks::RequestPacer& pacer,
              const std::atomic<bool>* abortFlag);

    ApiAnswer readSchema(sinks::HttpClient& client, std::chrono::milliseconds timeout);
    // One page of a query: `filter` as JSON text; `cursor` empty for the first page.
    ApiAnswer query(sinks::HttpClient& client, const Poco::JSON::Object::Ptr& body,
                    std::chrono::milliseconds timeout);
    ApiAnswer createPage(sinks::HttpClient& client, const Poco::JSON::Object::Ptr& properties);
    ApiAnswer updatePage(sinks::HttpClient& client, const std::string& pageId,
                         const Poco::JSON::Object::Ptr& properties);

  private:
    ApiAnswer call(sinks::HttpClient& client, const std::string& method, const std::string& path,
                   const Poco::JSON::Object::Ptr& body, std::chrono::milliseconds timeout,
                   bool idempotent = true);

    const NotionSettings& settings_;
    sinks::RequestPacer& pacer_;
    const std::atomic<bool>* abortFlag_;
};

// The filter body for rows whose `property` (of `type` rich_text/title/select) equals value.
Poco::JSON::Object::Ptr equalsFilter(const std::string& property, const std::string& type,
                                     const std::string& value);

}  // namespace fp::notion
