// Short ways to declare a plugin's options in its manifest:
//   m.options = {fp::sdk::option::integer("maxRooms", 100000, "rooms held").atLeast(1),
//                fp::sdk::option::secret("token", "API token")};
#pragma once

#include <optional>
#include <string>

#include "firepoker/sdk/manifest.hpp"

namespace fp::sdk::option {

// An OptionSpec with chainable range setters.
struct Declared : OptionSpec {
    Declared&& atLeast(double minimumValue) && {
        minimum = minimumValue;
        return std::move(*this);
    }
    Declared&& atMost(double maximumValue) && {
        maximum = maximumValue;
        return std::move(*this);
    }
    Declared&& between(double minimumValue, double maximumValue) && {
        minimum = minimumValue;
        maximum = maximumValue;
        return std::move(*this);
    }
};

namespace detail {
inline Declared declare(std::string name, OptionType type, std::string description,
                        std::optional<std::string> defaultJson) {
    Declared d;
    d.name = std::move(name);
    d.type = type;
    d.description = std::move(description);
    d.defaultValue = std::move(defaultJson);
    return d;
}
inline std::string jsonNumber(double value) {
    if (value == static_cast<double>(static_cast<long long>(value))) {
        return std::to_string(static_cast<long long>(value));
    }
    return std::to_string(value);
}
}  // namespace detail

inline Declared string(std::string name, std::string defaultValue, std::string description) {
    std::string json;
    ::fp::sdk::detail::appendJsonString(json, defaultValue);
    return detail::declare(std::move(name), OptionType::string, std::move(description), json);
}
inline Declared requiredString(std::string name, std::string description) {
    return detail::declare(std::move(name), OptionType::string, std::move(description),
                           std::nullopt);
}
inline Declared integer(std::string name, long long defaultValue, std::string description) {
    return detail::declare(std::move(name), OptionType::integer, std::move(description),
                           std::to_string(defaultValue));
}
inline Declared number(std::string name, double defaultValue, std::string description) {
    return detail::declare(std::move(name), OptionType::number, std::move(description),
                           detail::jsonNumber(defaultValue));
}
inline Declared boolean(std::string name, bool defaultValue, std::string description) {
    return detail::declare(std::move(name), OptionType::boolean, std::move(description),
                           defaultValue ? "true" : "false");
}
// Taken only from the environment (FP_<PATH> or a file named by FP_<PATH>_FILE); absent
// unless set there.
inline Declared secret(std::string name, std::string description) {
    Declared d =
        detail::declare(std::move(name), OptionType::string, std::move(description), std::nullopt);
    d.secret = true;
    return d;
}

}  // namespace fp::sdk::option
