// A well-behaved sink that counts deliveries: proves an object keeps its library loaded.
#include <atomic>

#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"

namespace {
class CountingSink final : public fp::sdk::Sink {
  public:
    explicit CountingSink(const fp::sdk::PluginContext& context)
        : label_(context.options.getString("label")) {}
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
