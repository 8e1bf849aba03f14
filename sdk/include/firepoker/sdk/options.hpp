// Validated option values handed to a plugin: every declared option is present (defaults
// filled in by the core) and has the declared type.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>

namespace fp::sdk {

using OptionValue = std::variant<bool, std::int64_t, double, std::string>;

class PluginOptions {
  public:
    PluginOptions() = default;
    explicit PluginOptions(std::map<std::string, OptionValue> values)
        : values_(std::move(values)) {}

    bool has(const std::string& name) const { return values_.count(name) != 0; }
    const std::map<std::string, OptionValue>& all() const { return values_; }
    void set(const std::string& name, OptionValue value) { values_[name] = std::move(value); }

    std::string getString(const std::string& name) const { return get<std::string>(name); }
    std::int64_t getInt(const std::string& name) const { return get<std::int64_t>(name); }
    bool getBool(const std::string& name) const { return get<bool>(name); }
    double getNumber(const std::string& name) const {
        const auto& v = at(name);
        if (const auto* i = std::get_if<std::int64_t>(&v))
            return static_cast<double>(*i);
        return std::get<double>(v);
    }

  private:
    const OptionValue& at(const std::string& name) const {
        auto it = values_.find(name);
        if (it == values_.end())
            throw std::out_of_range("option not declared: " + name);
        return it->second;
    }
    template <typename T>
    const T& get(const std::string& name) const {
        const auto& v = at(name);
        if (const auto* p = std::get_if<T>(&v))
            return *p;
        throw std::invalid_argument("option has another type: " + name);
    }

    std::map<std::string, OptionValue> values_;
};

}  // namespace fp::sdk
