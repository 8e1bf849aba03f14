#include "markdown_render.hpp"

#include <Poco/JSON/Array.h>

#include <stdexcept>

namespace fp::examples::markdown {
namespace {
std::string requiredString(const Poco::JSON::Object& object, const std::string& field) {
    if (!object.has(field) || !object.get(field).isString())
        throw std::invalid_argument("the result has no text field \"" + field + "\"");
    return object.getValue<std::string>(field);
}

std::string optionalString(const Poco::JSON::Object& object, const std::string& field) {
    if (!object.has(field) || !object.get(field).isString())
        return "";
    return object.getValue<std::string>(field);
}
}  // namespace

std::string escapeInline(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '\n':
            case '\r':
                out += ' ';
                break;
            case '|':
            case '\\':
            case '*':
            case '_':
            case '`':
            case '#':
            case '<':
            case '>':
            case '[':
            case ']':
                out += '\\';
                out += c;
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string renderResult(const Poco::JSON::Object& result) {
    const std::string resultId = requiredString(result, "resultId");
    const std::string estimate = requiredString(result, "estimate");
    auto story = result.getObject("story");
    if (!story)
        throw std::invalid_argument("the result has no object \"story\"");
    const std::string title = optionalString(*story, "title");

    std::string page = "# " + escapeInline(title.empty() ? "(untitled story)" : title) + "\n\n";
    page += "- Estimate: **" + escapeInline(estimate) + "**\n";
    page += "- Room: " + escapeInline(optionalString(result, "roomName")) + " (`" +
            escapeInline(optionalString(result, "roomId")) + "`)\n";
    if (auto ref = optionalString(*story, "ref"); !ref.empty())
        page += "- Reference: " + escapeInline(ref) + "\n";
    if (auto url = optionalString(*story, "url"); !url.empty())
        page += "- Link: <" + escapeInline(url) + ">\n";
    page += "- Finalized: " + escapeInline(optionalString(result, "finalizedAt")) + "\n";
    if (result.has("rounds"))
        page += "- Rounds: " + result.get("rounds").toString() + "\n";
    page += "- Result id: `" + escapeInline(resultId) + "`\n";

    auto votes = result.getArray("votes");
    if (votes && votes->size() > 0) {
        page += "\n| Voter | Card |\n| --- | --- |\n";
        for (std::size_t i = 0; i < votes->size(); ++i) {
            auto vote = votes->getObject(static_cast<unsigned>(i));
            if (!vote)
                continue;
            // Anonymous rooms send cards without names.
            std::string name = optionalString(*vote, "name");
            page += "| " + escapeInline(name.empty() ? "(anonymous)" : name) + " | " +
                    escapeInline(optionalString(*vote, "card")) + " |\n";
        }
    }
    return page;
}

}  // namespace fp::examples::markdown
