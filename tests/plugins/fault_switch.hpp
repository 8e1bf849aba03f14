// The switch of the faulty test plugins: options `throwFrom` (the entry point that throws:
// "constructor", "start", "stop", "readiness" or a method name such as "load", "publish",
// "deliver") and `throwTimes` (throw on the first N calls only; 0 = on every call).
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "firepoker/sdk/option_builders.hpp"
#include "firepoker/sdk/options.hpp"

namespace fp::testplugins {

class FaultSwitch {
  public:
    explicit FaultSwitch(const fp::sdk::PluginOptions& options)
        : entryPoint_(options.getString("throwFrom")), times_(options.getInt("throwTimes")) {}

    // Throws when `entryPoint` is the one chosen and the budget of throws is not spent.
    void at(const char* entryPoint) const {
        if (entryPoint_ != entryPoint)
            return;
        if (times_ > 0 && thrown_.fetch_add(1) >= times_)
            return;
        throw std::runtime_error(std::string("test fault injected in ") + entryPoint);
    }

    static std::vector<fp::sdk::OptionSpec> options() {
        return {fp::sdk::option::string("throwFrom", "", "the entry point that throws"),
                fp::sdk::option::integer("throwTimes", 0, "throw on the first N calls; 0 = all")
                    .atLeast(0)};
    }

  private:
    std::string entryPoint_;
    std::int64_t times_;
    mutable std::atomic<std::int64_t> thrown_{0};
};

}  // namespace fp::testplugins
