// A well-behaved sink that counts deliveries: proves an object keeps its library loaded. Its
// checkOptions refuses a label that is empty, longer than 8 characters or has spaces, and
// throws for the label "throw" (the loader's tests of firepoker_plugin_check_options).
#include <atomic>
#include <stdexcept>
#include <vector>

#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"

namespace {
class CountingSink final : public fp::sdk::Sink {
  public:
    explicit CountingSink(const fp::sdk::PluginContext& context)
        : label_(context.options.getString("label")) {}
    static std::vector<std::string> checkOptions(const fp::sdk::PluginOptions& options) {
        const std::string label = options.getString("label");
        if (label == "throw")
            throw std::runtime_error("checkOptions exploded");
        std::vector<std::string> problems;
        if (label.empty() || label.size() > 8)
            problems.push_back("label: '" + label + "' must have 1 to 8 characters");
        if (label.find(' ') != std::string::npos)
            problems.push_back("label: '" + label + "' must not contain spaces");
        return problems;
    }
    fp::sdk::DeliveryResult deliver(const std::string&, const std::string&) override {
        ++count_;
        return {fp::sdk::DeliveryOutcome::delivered, {}, label_ + ":" + std::to_string(count_)};
    }

  private:
    std::string label_;
    int count_ = 0;
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-counting-sink";
    m.version = "0";
    m.options = {fp::sdk::option::string("label", "count", "prefix of the delivery reason")};
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(CountingSink, manifest)
