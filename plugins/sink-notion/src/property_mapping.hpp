// Which field of a result goes to which Notion property, as which property type. Each field
// has its own option ("<field>Property": "Property name:type", "" = not written), so the
// defaults show in --list-plugins and one field can be changed without restating the rest.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "firepoker/sdk/manifest.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::notion {

enum class Field {
    title,
    estimate,
    resultId,
    room,
    roomName,
    storyRef,
    storyLink,
    average,
    median,
    agreement,
    consensus,
    votes,
    rounds,
    participants,
    finalizedAt,
    resultJson,
};

struct FieldSpec {
    Field field;
    std::string key;                        // "estimate": the option is "estimateProperty"
    std::string defaultMapping;             // "Estimate:select", "" = off by default
    std::vector<std::string> allowedTypes;  // Notion property types that can hold it
    std::string description;
    bool required = false;  // resultId: the key that keeps delivery idempotent
};

const std::vector<FieldSpec>& fieldSpecs();
std::string optionName(const FieldSpec& spec);  // "estimateProperty"
std::vector<fp::sdk::OptionSpec> mappingOptions();

struct MappedProperty {
    Field field;
    std::string key;       // the field's key, for messages
    std::string property;  // the Notion property name
    std::string type;      // the Notion property type
};

class PropertyMapping {
  public:
    // Reads the "<field>Property" options; problems (bad syntax, a type that cannot hold the
    // field) are appended, one sentence each.
    static PropertyMapping fromOptions(const fp::sdk::PluginOptions& options,
                                       std::vector<std::string>& problems);
    static PropertyMapping defaults();

    const std::vector<MappedProperty>& properties() const { return properties_; }
    const MappedProperty* find(Field field) const;

    // Compares with a database's (or data source's) "properties" object: every mapped
    // property must exist with the mapped type. Returns one sentence per problem.
    std::vector<std::string> checkSchema(const Poco::JSON::Object::Ptr& schemaProperties) const;

  private:
    std::vector<MappedProperty> properties_;
};

// "Result ID:rich_text" -> name and type (split at the last ':'); false when malformed.
bool parseMapping(const std::string& text, std::string& property, std::string& type);

}  // namespace fp::notion
