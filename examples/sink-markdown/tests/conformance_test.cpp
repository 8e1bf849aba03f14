// The SDK's sink conformance kit against sink-markdown: delivery, idempotency by result id
// (also after a restart) and how failures are classified.
#include <filesystem>
#include <fstream>

#include "firepoker/testkit/plugin_context.hpp"
#include "firepoker/testkit/sink_conformance.hpp"
#include "markdown_sink.hpp"

namespace {
namespace fs = std::filesystem;
using fp::examples::markdown::MarkdownSink;

// A fresh folder per test case; every sink made from it writes there.
class MarkdownFolder final : public fp::testkit::SinkDestination {
  public:
    MarkdownFolder() : root_(fs::temp_directory_path() / fp::testkit::uniqueId("sink-markdown")) {
        fs::create_directories(root_);
    }
    ~MarkdownFolder() override {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    fs::path folder() const { return root_ / "results"; }

    std::shared_ptr<fp::sdk::Sink> makeSink() override {
        return std::make_shared<MarkdownSink>(fp::testkit::contextFor(
            fp::examples::markdown::manifest(), {{"folder", folder().string()}}));
    }
    // One file per stored result: <resultId>.md.
    std::vector<std::string> storedResultIds() override {
        std::vector<std::string> ids;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(folder(), ec)) {
            if (entry.path().extension() == ".md")
                ids.push_back(entry.path().stem().string());
        }
        return ids;
    }

  private:
    fs::path root_;
};

fp::testkit::SinkConformanceOptions faults() {
    fp::testkit::SinkConformanceOptions options;

    fp::testkit::SinkFault folderIsAFile;
    folderIsAFile.name = "a results folder that is a file";
    folderIsAFile.expected = fp::sdk::DeliveryOutcome::paused;  // every result would fail alike
    folderIsAFile.makeDestination = [] {
        auto destination = std::make_unique<MarkdownFolder>();
        std::ofstream(destination->folder()) << "in the way";
        return destination;
    };
    folderIsAFile.repair = [](fp::testkit::SinkDestination& destination) {
        fs::remove(static_cast<MarkdownFolder&>(destination).folder());
    };
    options.faults.push_back(folderIsAFile);

    fp::testkit::SinkFault notJson;
    notJson.name = "a result that is not JSON";
    notJson.expected = fp::sdk::DeliveryOutcome::failed;
    notJson.payload = "{\"resultId\": \"r1\", ";
    options.faults.push_back(notJson);

    fp::testkit::SinkFault noEstimate;
    noEstimate.name = "a result without an estimate";
    noEstimate.expected = fp::sdk::DeliveryOutcome::failed;
    noEstimate.payload = R"({"resultId":"r1","story":{"title":"x"}})";
    options.faults.push_back(noEstimate);
    return options;
}

const bool kit = fp::testkit::registerSinkConformance(
    "sink-markdown", [] { return std::make_unique<MarkdownFolder>(); }, faults());
}  // namespace

// The plugin's own metric, read back through the testkit's recording handle.
TEST_CASE("sink-markdown counts the pages it writes, not redeliveries", "[sink-markdown]") {
    MarkdownFolder destination;
    auto context = fp::testkit::contextFor(fp::examples::markdown::manifest(),
                                           {{"folder", destination.folder().string()}});
    MarkdownSink sink(context);
    REQUIRE(sink.start().ok());
    const std::string result =
        R"({"resultId":"r_1","roomId":"demo","story":{"title":"Login"},"estimate":"5"})";
    CHECK(sink.deliver("r_1", result).outcome == fp::sdk::DeliveryOutcome::delivered);
    CHECK(sink.deliver("r_1", result).outcome == fp::sdk::DeliveryOutcome::delivered);
    CHECK(fp::testkit::recordedMetrics(context).value("markdown_files_written_total") == 1);
}
