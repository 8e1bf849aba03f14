// A plugin's manifest: what the core reads before it starts the plugin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "firepoker/sdk/abi.hpp"

namespace fp::sdk {

enum class PluginKind { transport, storage, bus, sink };

inline const char* toString(PluginKind kind) {
    switch (kind) {
        case PluginKind::transport:
            return "transport";
        case PluginKind::storage:
            return "storage";
        case PluginKind::bus:
            return "bus";
        case PluginKind::sink:
            return "sink";
    }
    return "unknown";
}

enum class OptionType { string, integer, number, boolean };

inline const char* toString(OptionType type) {
    switch (type) {
        case OptionType::string:
            return "string";
        case OptionType::integer:
            return "integer";
        case OptionType::number:
            return "number";
        case OptionType::boolean:
            return "boolean";
    }
    return "unknown";
}

// One option a plugin accepts. The core validates types and ranges and fills defaults before
// the plugin is created, so a plugin can read its options without checking them again.
struct OptionSpec {
    std::string name;
    OptionType type = OptionType::string;
    std::string description;
    std::optional<std::string> defaultValue;  // as JSON text: "\"x\"", "5", "true"; none = required
    std::optional<double> minimum;            // integer and number only
    std::optional<double> maximum;
    bool secret = false;  // only from the environment, never from a config file, never logged
};

// Promises a plugin may make in its manifest; the core reads them before creating the plugin.
// They travel as text in the manifest JSON, so a core that does not know one ignores it and a
// plugin that makes none is read as before: adding one is not an ABI change.
namespace capability {
// Storage or bus: no call waits on I/O (everything is in process memory). The core then runs
// commands on the transport's threads instead of handing each one to a worker thread, when
// both the storage and the bus make this promise.
inline constexpr const char* answersFromMemory = "answersFromMemory";
}  // namespace capability

struct Manifest {
    std::string name;  // e.g. "storage-memory"; the file is fire-poker-<name>.so
    PluginKind kind = PluginKind::storage;
    std::string version;  // the plugin's own version
    std::string description;
    std::vector<OptionSpec> options;
    std::vector<std::string> capabilities;  // see namespace capability
    std::uint32_t abiVersion = kAbiVersion;
    std::string buildSignature = kBuildSignature;
};

namespace detail {
inline void appendJsonString(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    static const char* hex = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}
}  // namespace detail

// The manifest as JSON; this is what crosses the boundary first, as plain C text, so the
// core can read it (and refuse the plugin) without relying on any C++ layout.
inline std::string manifestToJson(const Manifest& m) {
    using detail::appendJsonString;
    std::string out = "{\"name\":";
    appendJsonString(out, m.name);
    out += ",\"kind\":";
    appendJsonString(out, toString(m.kind));
    out += ",\"version\":";
    appendJsonString(out, m.version);
    out += ",\"description\":";
    appendJsonString(out, m.description);
    out += ",\"abiVersion\":" + std::to_string(m.abiVersion);
    out += ",\"buildSignature\":";
    appendJsonString(out, m.buildSignature);
    out += ",\"options\":[";
    bool first = true;
    for (const auto& o : m.options) {
        if (!first)
            out += ',';
        first = false;
        out += "{\"name\":";
        appendJsonString(out, o.name);
        out += ",\"type\":";
        appendJsonString(out, toString(o.type));
        out += ",\"description\":";
        appendJsonString(out, o.description);
        if (o.defaultValue)
            out += ",\"default\":" + *o.defaultValue;
        if (o.minimum)
            out += ",\"minimum\":" + std::to_string(*o.minimum);
        if (o.maximum)
            out += ",\"maximum\":" + std::to_string(*o.maximum);
        out += std::string(",\"secret\":") + (o.secret ? "true" : "false");
        out += '}';
    }
    out += "],\"capabilities\":[";
    first = true;
    for (const auto& c : m.capabilities) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, c);
    }
    out += "]}";
    return out;
}

}  // namespace fp::sdk
