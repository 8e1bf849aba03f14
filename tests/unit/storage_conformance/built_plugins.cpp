#include "built_plugins.hpp"

#include <Poco/JSON/Parser.h>

#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>

#include "config/option_validation.hpp"
#include "firepoker/testkit/recording_metrics.hpp"
#include "plugins/plugin_catalog.hpp"

namespace fp::testing {
namespace {
// Plugins log their warnings and errors to the test's output; the rest is dropped.
class TestLogger final : public fp::sdk::Logger {
  public:
    explicit TestLogger(std::string name) : name_(std::move(name)) {}
    void log(fp::sdk::LogLevel level, std::string_view message) override {
        if (level >= fp::sdk::LogLevel::warn)
            std::cerr << "[" << name_ << "] " << message << "\n";
    }

  private:
    std::string name_;
};

std::shared_ptr<plugins::PluginLibrary> openOnce(const std::string& pluginName) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<plugins::PluginLibrary>> opened;
    std::lock_guard<std::mutex> lock(mutex);
    auto& library = opened[pluginName];
    if (!library)
        library = plugins::PluginCatalog({FP_BUILT_PLUGIN_DIR}).open(pluginName);
    return library;
}
}  // namespace

std::shared_ptr<fp::sdk::Plugin> makeBuiltPlugin(const std::string& pluginName,
                                                 const std::string& optionsJson,
                                                 const std::string& instanceId) {
    auto library = openOnce(pluginName);
    Poco::JSON::Parser parser;
    auto object = parser.parse(optionsJson).extract<Poco::JSON::Object::Ptr>();
    config::ConfigProblems problems;
    auto options = config::resolveOptions(library->manifest().options, object,
                                          {"test", pluginName + ".options"}, {}, problems);
    if (!problems.empty()) {
        std::string text = "options of " + pluginName + ":";
        for (const auto& problem : problems)
            text += "\n  " + problem.describe();
        throw std::runtime_error(text);
    }
    fp::sdk::PluginContext context;
    context.instanceName = pluginName;
    context.serverInstanceId = instanceId;
    context.options = std::move(options);
    context.logger = std::make_shared<TestLogger>(pluginName);
    context.metrics = std::make_shared<fp::testkit::RecordingMetrics>();
    return library->create(context);
}

}  // namespace fp::testing
