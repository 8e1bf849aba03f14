// A sink whose constructor throws: the loader must report it, not crash.
#include <stdexcept>

#include "firepoker/sdk/export.hpp"

namespace {
class ThrowingSink final : public fp::sdk::Sink {
  public:
    explicit ThrowingSink(const fp::sdk::PluginContext&) {
        throw std::runtime_error("the test sink refuses to start");
    }
    fp::sdk::DeliveryResult deliver(const std::string&, const std::string&) override { return {}; }
};

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "test-throwing-sink";
    m.version = "0";
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(ThrowingSink, manifest)
