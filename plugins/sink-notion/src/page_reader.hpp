// Reading back what the sink wrote: a page's result id, its stored result JSON, the ids of a
// query's pages.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace fp::notion {

// The plain text of a title / rich_text property of a page object ("" when absent).
std::string pageText(const Poco::JSON::Object::Ptr& page, const std::string& property);

// True for an id that is safe to put in a URL path (Notion ids are UUIDs).
bool isPageId(const std::string& id);

}  // namespace fp::notion
