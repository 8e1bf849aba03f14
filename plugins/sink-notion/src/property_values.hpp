// A result (the sink record of PROTOCOL.md) as Notion property values, per the mapping,
// within Notion's limits (2,000 characters a text, 100 rich-text items, comma-free select
// names of at most 100 characters, URLs of at most 2,000 characters or null).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "property_mapping.hpp"

namespace fp::notion {

struct BuiltProperties {
    Poco::JSON::Object::Ptr properties;
    std::vector<std::string> warnings;  // e.g. the result JSON was too long to store whole
};

// Throws std::runtime_error naming the field when the result is not a readable record.
BuiltProperties buildProperties(const PropertyMapping& mapping, const std::string& resultJson);

// A rich_text / title value: [{"text":{"content":...}}, ...].
Poco::JSON::Array::Ptr textItems(const std::vector<std::string>& pieces);

// A select / multi_select option name: commas become ';', at most 100 characters.
std::string selectName(const std::string& text);

}  // namespace fp::notion
