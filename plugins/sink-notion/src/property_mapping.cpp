#include "property_mapping.hpp"

#include <algorithm>

#include "firepoker/sdk/option_builders.hpp"

namespace fp::notion {
namespace {
const std::vector<std::string> kText = {"rich_text", "title", "select"};

std::string joinQuoted(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += "\"" + item + "\"";
    }
    return out;
}

std::string joinPlain(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? " or " : ", ";
        out += items[i];
    }
    return out;
}
}  // namespace

const std::vector<FieldSpec>& fieldSpecs() {
    static const std::vector<FieldSpec> specs = {
        {Field::title, "title", "Name:title", {"title", "rich_text"}, "the story's title"},
        {Field::estimate,
         "estimate",
         "Estimate:select",
         {"select", "rich_text", "title", "number"},
         "the final estimate (number: numeric estimates only)"},
        {Field::resultId,
         "resultId",
         "Result ID:rich_text",
         {"rich_text", "title"},
         "the result's unique id; delivery finds existing rows by it",
         true},
        {Field::room,
         "room",
         "Room:rich_text",
         {"rich_text", "select", "title"},
         "the room id; history is read back by it"},
        {Field::roomName, "roomName", "", kText, "the room's display name"},
        {Field::storyRef, "storyRef", "Ref:rich_text", kText, "the story's ref (e.g. FP-12)"},
        {Field::storyLink, "storyLink", "Link:url", {"url", "rich_text"}, "the story's URL"},
        {Field::average, "average", "Average:number", {"number"}, "average of numeric votes"},
        {Field::median, "median", "Median:number", {"number"}, "median of numeric votes"},
        {Field::agreement,
         "agreement",
         "Agreement:number",
         {"number"},
         "share (0..1) of votes on the most common card"},
        {Field::consensus,
         "consensus",
         "Consensus:checkbox",
         {"checkbox"},
         "true when every estimate vote is the same card"},
        {Field::votes,
         "votes",
         "Votes:multi_select",
         {"multi_select", "rich_text", "number"},
         "the cards cast (multi_select), \"name: card\" pairs (rich_text) or their count (number)"},
        {Field::rounds, "rounds", "Rounds:number", {"number"}, "rounds voted on the story"},
        {Field::participants,
         "participants",
         "",
         {"number"},
         "participants in the room at finalize"},
        {Field::finalizedAt,
         "finalizedAt",
         "Finalized:date",
         {"date", "rich_text"},
         "when the story was finalized"},
        {Field::resultJson,
         "resultJson",
         "Result JSON:rich_text",
         {"rich_text"},
         "the whole result as JSON, so rooms can be restored from Notion"},
    };
    return specs;
}

std::string optionName(const FieldSpec& spec) {
    return spec.key + "Property";
}

std::vector<fp::sdk::OptionSpec> mappingOptions() {
    std::vector<fp::sdk::OptionSpec> options;
    for (const auto& spec : fieldSpecs()) {
        options.push_back(fp::sdk::option::string(
            optionName(spec), spec.defaultMapping,
            "\"Property:type\" for " + spec.description + " (types: " +
                joinPlain(spec.allowedTypes) + (spec.required ? ")" : "; \"\" = not written)")));
    }
    return options;
}

bool parseMapping(const std::string& text, std::string& property, std::string& type) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        return false;
    property = text.substr(0, colon);
    type = text.substr(colon + 1);
    return true;
}

PropertyMapping PropertyMapping::fromOptions(const fp::sdk::PluginOptions& options,
                                             std::vector<std::string>& problems) {
    PropertyMapping mapping;
    std::vector<std::pair<std::string, std::string>> seen;  // property -> option
    for (const auto& spec : fieldSpecs()) {
        const std::string option = optionName(spec);
        const std::string text =
            options.has(option) ? options.getString(option) : spec.defaultMapping;
        if (text.empty()) {
            if (spec.required)
                problems.push_back(option + " must name a property: " + spec.description);
            continue;
        }
        MappedProperty mapped{spec.field, spec.key, "", ""};
        if (!parseMapping(text, mapped.property, mapped.type)) {
            problems.push_back(
                option + " is \"" + text + "\"; expected \"Property name:type\", e.g. \"" +
                (spec.defaultMapping.empty() ? "Name:number" : spec.defaultMapping) + "\"");
            continue;
        }
        if (std::find(spec.allowedTypes.begin(), spec.allowedTypes.end(), mapped.type) ==
            spec.allowedTypes.end()) {
            problems.push_back(option + ": a " + mapped.type + " property cannot hold " +
                               spec.description + "; use " + joinPlain(spec.allowedTypes));
            continue;
        }
        for (const auto& [property, other] : seen) {
            if (property == mapped.property)
                problems.push_back(option + " and " + other + " both name the property \"" +
                                   mapped.property + "\"");
        }
        seen.emplace_back(mapped.property, option);
        mapping.properties_.push_back(std::move(mapped));
    }
    return mapping;
}

PropertyMapping PropertyMapping::defaults() {
    std::vector<std::string> ignored;
    return fromOptions(fp::sdk::PluginOptions(), ignored);
}

const MappedProperty* PropertyMapping::find(Field field) const {
    for (const auto& p : properties_) {
        if (p.field == field)
            return &p;
    }
    return nullptr;
}

std::vector<std::string> PropertyMapping::checkSchema(
    const Poco::JSON::Object::Ptr& schemaProperties) const {
    std::vector<std::string> problems;
    if (!schemaProperties) {
        problems.push_back("the schema has no \"properties\" object");
        return problems;
    }
    std::vector<std::string> names;
    schemaProperties->getNames(names);
    for (const auto& mapped : properties_) {
        const std::string option = mapped.key + "Property";
        auto definition = schemaProperties->getObject(mapped.property);
        if (!definition) {
            problems.push_back("property \"" + mapped.property + "\" (" + option +
                               ") is not in the database; it has " + joinQuoted(names));
            continue;
        }
        const std::string actual = definition->optValue<std::string>("type", "");
        if (actual != mapped.type) {
            problems.push_back("property \"" + mapped.property + "\" (" + option + ") is a " +
                               (actual.empty() ? std::string("property of unknown type") : actual) +
                               " in the database, the mapping says " + mapped.type);
        }
    }
    return problems;
}

}  // namespace fp::notion
