#include "page_reader.hpp"

#include <Poco/JSON/Array.h>

namespace fp::notion {

std::string pageText(const Poco::JSON::Object::Ptr& page, const std::string& property) {
    if (!page)
        return "";
    auto properties = page->getObject("properties");
    auto value = properties ? properties->getObject(property) : nullptr;
    if (!value)
        return "";
    const std::string type = value->optValue<std::string>("type", "");
    auto items = value->getArray(type.empty() ? "rich_text" : type);
    if (!items)
        return "";
    std::string text;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        if (!item)
            continue;
        if (item->has("plain_text")) {
            text += item->optValue<std::string>("plain_text", "");
        } else if (auto content = item->getObject("text")) {
            text += content->optValue<std::string>("content", "");
        }
    }
    return text;
}

bool isPageId(const std::string& id) {
    if (id.empty() || id.size() > 64)
        return false;
    for (char c : id) {
        const bool ok =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace fp::notion
