#include "plugins/manifest_parser.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <stdexcept>

namespace fp::plugins {
namespace {
fp::sdk::PluginKind parseKind(const std::string& kind) {
    using fp::sdk::PluginKind;
    if (kind == "transport")
        return PluginKind::transport;
    if (kind == "storage")
        return PluginKind::storage;
    if (kind == "bus")
        return PluginKind::bus;
    if (kind == "sink")
        return PluginKind::sink;
    throw std::runtime_error("unknown plugin kind '" + kind + "'");
}

fp::sdk::OptionType parseType(const std::string& type) {
    using fp::sdk::OptionType;
    if (type == "string")
        return OptionType::string;
    if (type == "integer")
        return OptionType::integer;
    if (type == "number")
        return OptionType::number;
    if (type == "boolean")
        return OptionType::boolean;
    throw std::runtime_error("unknown option type '" + type + "'");
}
}  // namespace

fp::sdk::Manifest parseManifest(const std::string& json) {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr root;
    try {
        root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("manifest is not valid JSON: " + e.displayText());
    }
    fp::sdk::Manifest m;
    m.name = root->getValue<std::string>("name");
    m.kind = parseKind(root->getValue<std::string>("kind"));
    m.version = root->optValue<std::string>("version", "");
    m.description = root->optValue<std::string>("description", "");
    m.abiVersion = root->getValue<std::uint32_t>("abiVersion");
    m.buildSignature = root->optValue<std::string>("buildSignature", "");
    auto options = root->getArray("options");
    for (std::size_t i = 0; options && i < options->size(); ++i) {
        auto o = options->getObject(static_cast<unsigned>(i));
        fp::sdk::OptionSpec spec;
        spec.name = o->getValue<std::string>("name");
        spec.type = parseType(o->getValue<std::string>("type"));
        spec.description = o->optValue<std::string>("description", "");
        if (o->has("default")) {
            std::ostringstream text;
            Poco::JSON::Stringifier::stringify(o->get("default"), text);
            spec.defaultValue = text.str();
        }
        if (o->has("minimum"))
            spec.minimum = o->getValue<double>("minimum");
        if (o->has("maximum"))
            spec.maximum = o->getValue<double>("maximum");
        spec.secret = o->optValue<bool>("secret", false);
        m.options.push_back(std::move(spec));
    }
    // Added after ABI 2 shipped: absent from older plugins' manifests.
    if (auto capabilities = root->getArray("capabilities")) {
        for (std::size_t i = 0; i < capabilities->size(); ++i)
            m.capabilities.push_back(
                capabilities->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return m;
}

}  // namespace fp::plugins
