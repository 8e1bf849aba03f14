#include "config/option_validation.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include <cmath>
#include <set>
#include <sstream>

namespace fp::config {
namespace {
using fp::sdk::OptionSpec;
using fp::sdk::OptionType;
using fp::sdk::OptionValue;

std::string formatNumber(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// Converts a JSON value to the declared type; returns false with a reason when it does not fit.
bool fromJson(const OptionSpec& spec, const Poco::Dynamic::Var& value, OptionValue& out,
              std::string& why) {
    switch (spec.type) {
        case OptionType::string:
            if (!value.isString()) {
                why = "must be a string";
                return false;
            }
            out = value.extract<std::string>();
            return true;
        case OptionType::boolean:
            if (!value.isBoolean()) {
                why = "must be true or false";
                return false;
            }
            out = value.convert<bool>();
            return true;
        case OptionType::integer:
            if (!value.isInteger()) {
                why = "must be an integer";
                return false;
            }
            out = value.convert<std::int64_t>();
            return true;
        case OptionType::number:
            if (!value.isNumeric()) {
                why = "must be a number";
                return false;
            }
            out = value.convert<double>();
            return true;
    }
    why = "has an unknown type";
    return false;
}

// Environment values are text: parse them by the declared type.
bool fromText(const OptionSpec& spec, const std::string& text, OptionValue& out, std::string& why) {
    switch (spec.type) {
        case OptionType::string:
            out = text;
            return true;
        case OptionType::boolean:
            if (text == "true" || text == "1") {
                out = true;
                return true;
            }
            if (text == "false" || text == "0") {
                out = false;
                return true;
            }
            why = "must be true or false, not '" + text + "'";
            return false;
        case OptionType::integer: {
            Poco::Int64 v = 0;
            if (!Poco::NumberParser::tryParse64(text, v)) {
                why = "must be an integer, not '" + text + "'";
                return false;
            }
            out = static_cast<std::int64_t>(v);
            return true;
        }
        case OptionType::number: {
            double v = 0;
            if (!Poco::NumberParser::tryParseFloat(text, v) || !std::isfinite(v)) {
                why = "must be a number, not '" + text + "'";
                return false;
            }
            out = v;
            return true;
        }
    }
    return false;
}

bool inRange(const OptionSpec& spec, const OptionValue& value, std::string& why) {
    double v = 0;
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        v = static_cast<double>(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
        v = *d;
    } else {
        return true;
    }
    if (spec.minimum && v < *spec.minimum) {
        why = "must be at least " + formatNumber(*spec.minimum);
        return false;
    }
    if (spec.maximum && v > *spec.maximum) {
        why = "must be at most " + formatNumber(*spec.maximum);
        return false;
    }
    return true;
}

std::string join(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}
}  // namespace

fp::sdk::PluginOptions resolveOptions(const std::vector<OptionSpec>& specs,
                                      const Poco::JSON::Object::Ptr& object,
                                      const OptionSource& source, const Environment& env,
                                      ConfigProblems& problems) {
    fp::sdk::PluginOptions result;
    std::set<std::string> declared;
    for (const auto& spec : specs)
        declared.insert(spec.name);

    if (object) {
        for (const auto& [key, value] : *object) {
            if (declared.count(key) == 0) {
                problems.push_back({source.file, join(source.keyPrefix, key), "unknown option"});
            }
        }
    }

    for (const auto& spec : specs) {
        const std::string key = join(source.keyPrefix, spec.name);
        const std::string envName = environmentName(key);
        OptionValue value;
        std::string why;
        bool have = false;

        if (spec.secret) {
            if (object && object->has(spec.name)) {
                problems.push_back({source.file, key,
                                    "is a secret: set it in the environment as " + envName +
                                        " (or a file named by " + envName +
                                        "_FILE), not in a file"});
            }
            std::string readError;
            if (auto secret = lookupSecret(env, envName, readError)) {
                value = *secret;
                have = true;
            } else if (!readError.empty()) {
                problems.push_back({source.file, key, readError});
                continue;
            }
        } else if (auto it = env.find(envName); it != env.end()) {
            if (!fromText(spec, it->second, value, why)) {
                problems.push_back({"environment " + envName, key, why});
                continue;
            }
            have = true;
        } else if (object && object->has(spec.name)) {
            if (!fromJson(spec, object->get(spec.name), value, why)) {
                problems.push_back({source.file, key, why});
                continue;
            }
            have = true;
        }

        if (!have && spec.defaultValue) {
            try {
                Poco::JSON::Parser parser;
                auto parsed = parser.parse("[" + *spec.defaultValue + "]")
                                  .extract<Poco::JSON::Array::Ptr>()
                                  ->get(0);
                if (!fromJson(spec, parsed, value, why)) {
                    problems.push_back({source.file, key, "declared default " + why});
                    continue;
                }
                have = true;
            } catch (const std::exception& e) {
                problems.push_back(
                    {source.file, key, std::string("declared default is not JSON: ") + e.what()});
                continue;
            }
        }
        if (!have) {
            if (!spec.secret) {
                problems.push_back({source.file, key, "is required (" + spec.description + ")"});
            }
            continue;  // a secret without a default stays absent; the plugin decides
        }
        if (!inRange(spec, value, why)) {
            problems.push_back({source.file, key, why});
            continue;
        }
        result.set(spec.name, value);
    }
    return result;
}

}  // namespace fp::config
