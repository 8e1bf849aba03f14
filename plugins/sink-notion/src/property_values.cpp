#include "property_values.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "notion_text.hpp"

namespace fp::notion {
namespace {
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parseRecord(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(text);
        auto object = parsed.extract<Object::Ptr>();
        if (!object)
            throw std::runtime_error("not a JSON object");
        return object;
    } catch (const Poco::BadCastException&) {
        throw std::runtime_error("the result is not a JSON object");
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("the result is not JSON: " + e.displayText());
    }
}

std::string textOf(const Var& value) {
    if (value.isEmpty())
        return "";
    if (value.isString())
        return value.extract<std::string>();
    return value.toString();
}

std::string stringField(const Object::Ptr& object, const std::string& name) {
    return object ? textOf(object->get(name)) : std::string();
}

std::optional<double> numberField(const Object::Ptr& object, const std::string& name) {
    if (!object || !object->has(name))
        return std::nullopt;
    const Var value = object->get(name);
    if (value.isEmpty() || !value.isNumeric())
        return std::nullopt;
    const double d = value.convert<double>();
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::optional<double> numericEstimate(const std::string& text) {
    if (text == "\xC2\xBD")  // ½
        return 0.5;
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == nullptr || *end != '\0' || !std::isfinite(value))
        return std::nullopt;
    return value;
}

Object::Ptr wrap(const std::string& type, const Var& value) {
    Object::Ptr property = new Object();
    property->set(type, value);
    return property;
}

Var textValue(const std::string& type, const std::string& text) {
    if (type == "select") {
        if (text.empty())
            return Var();
        Object::Ptr option = new Object();
        option->set("name", selectName(text));
        return option;
    }
    // title / rich_text: one item, or none for an empty text (clears the property).
    std::vector<std::string> pieces;
    if (!text.empty())
        pieces.push_back(truncateUtf16(text, kMaxTextContent));
    return textItems(pieces);
}

Var numberValue(std::optional<double> number) {
    return number ? Var(*number) : Var();
}

std::string formatCard(const std::string& name, const std::string& card) {
    return name.empty() ? card : name + ": " + card;
}

// The record as stored in the "Result JSON" property, small enough for 100 items of 2,000
// characters: first whole, then without the votes of earlier rounds.
std::vector<std::string> resultJsonPieces(const Object::Ptr& record, const std::string& original,
                                          std::vector<std::string>& warnings) {
    bool fits = false;
    auto pieces = splitUtf16(original, kMaxTextContent, kMaxRichTextItems, fits);
    if (fits)
        return pieces;
    Object::Ptr smaller = new Object(*record);
    smaller->set("earlierRounds", Array::Ptr(new Array()));
    std::ostringstream out;
    smaller->stringify(out);
    pieces = splitUtf16(out.str(), kMaxTextContent, kMaxRichTextItems, fits);
    if (fits) {
        warnings.push_back("the result JSON was too long for Notion; stored without earlierRounds");
        return pieces;
    }
    warnings.push_back(
        "the result JSON is longer than Notion allows (100 x 2000 characters) and is not stored; "
        "this result cannot be restored from Notion");
    return {};
}

}  // namespace

std::string selectName(const std::string& text) {
    std::string name = text;
    std::replace(name.begin(), name.end(), ',', ';');
    return truncateUtf16(name, kMaxOptionName);
}

Array::Ptr textItems(const std::vector<std::string>& pieces) {
    Array::Ptr items = new Array();
    for (const auto& piece : pieces) {
        Object::Ptr content = new Object();
        content->set("content", piece);
        Object::Ptr item = new Object();
        item->set("text", content);
        items->add(item);
    }
    return items;
}

BuiltProperties buildProperties(const PropertyMapping& mapping, const std::string& resultJson) {
    const Object::Ptr record = parseRecord(resultJson);
    const std::string resultId = stringField(record, "resultId");
    if (resultId.empty())
        throw std::runtime_error("the result has no resultId");
    const Object::Ptr story = record->getObject("story");
    const Object::Ptr stats = record->getObject("stats");
    const Array::Ptr votes = record->getArray("votes");

    BuiltProperties built;
    built.properties = new Object();
    for (const auto& mapped : mapping.properties()) {
        const std::string& type = mapped.type;
        Var value;
        switch (mapped.field) {
            case Field::title:
                value = textValue(type, stringField(story, "title"));
                break;
            case Field::estimate: {
                const std::string estimate = stringField(record, "estimate");
                value = type == "number" ? numberValue(numericEstimate(estimate))
                                         : textValue(type, estimate);
                break;
            }
            case Field::resultId:
                value = textValue(type, resultId);
                break;
            case Field::room:
                value = textValue(type, stringField(record, "roomId"));
                break;
            case Field::roomName:
                value = textValue(type, stringField(record, "roomName"));
                break;
            case Field::storyRef:
                value = textValue(type, stringField(story, "ref"));
                break;
            case Field::storyLink: {
                const std::string url = stringField(story, "url");
                if (type == "url") {
                    // Null clears; Notion refuses "" and anything over 2,000 characters.
                    value = url.empty() || utf16Length(url) > kMaxUrlLength ? Var() : Var(url);
                } else {
                    value = textValue(type, url);
                }
                break;
            }
            case Field::average:
                value = numberValue(numberField(stats, "average"));
                break;
            case Field::median:
                value = numberValue(numberField(stats, "median"));
                break;
            case Field::agreement:
                value = numberValue(numberField(stats, "agreement"));
                break;
            case Field::consensus:
                value = stats && stats->has("consensus") && !stats->get("consensus").isEmpty()
                            ? stats->get("consensus").convert<bool>()
                            : false;
                break;
            case Field::votes: {
                std::vector<std::string> cards;
                std::vector<std::string> pairs;
                for (std::size_t i = 0; votes && i < votes->size(); ++i) {
                    auto vote = votes->getObject(static_cast<unsigned>(i));
                    const std::string card = stringField(vote, "card");
                    pairs.push_back(formatCard(stringField(vote, "name"), card));
                    const std::string name = selectName(card);
                    if (!name.empty() && std::find(cards.begin(), cards.end(), name) == cards.end())
                        cards.push_back(name);
                }
                if (type == "number") {
                    value = static_cast<double>(pairs.size());
                } else if (type == "multi_select") {
                    Array::Ptr options = new Array();
                    for (const auto& card : cards) {
                        Object::Ptr option = new Object();
                        option->set("name", card);
                        options->add(option);
                    }
                    value = options;
                } else {
                    std::string text;
                    for (const auto& pair : pairs)
                        text += (text.empty() ? "" : ", ") + pair;
                    value = textValue(type, text);
                }
                break;
            }
            case Field::rounds:
                value = numberValue(numberField(record, "rounds"));
                break;
            case Field::participants:
                value = numberValue(numberField(record, "participants"));
                break;
            case Field::finalizedAt: {
                const std::string at = stringField(record, "finalizedAt");
                if (type == "date") {
                    Object::Ptr date;
                    if (!at.empty()) {
                        date = new Object();
                        date->set("start", at);
                    }
                    value = date ? Var(date) : Var();
                } else {
                    value = textValue(type, at);
                }
                break;
            }
            case Field::resultJson:
                value = textItems(resultJsonPieces(record, resultJson, built.warnings));
                break;
        }
        built.properties->set(mapped.property, wrap(type, value));
    }
    return built;
}

}  // namespace fp::notion
