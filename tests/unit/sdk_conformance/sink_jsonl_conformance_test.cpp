// The sink conformance kit against sink-jsonl, loaded from the build's plugins folder by the
// server's own loader, writing to a fresh temporary folder per case.
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>

#include "built_plugins.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/testkit/sink_conformance.hpp"

namespace {
namespace fs = std::filesystem;

class JsonlFolder final : public fp::testkit::SinkDestination {
  public:
    JsonlFolder() {
        folder_ = fs::temp_directory_path() / fp::testkit::detail::uniqueId("fp-sink-jsonl");
        fs::create_directories(folder_);
    }
    ~JsonlFolder() override {
        std::error_code ec;
        fs::remove_all(folder_, ec);
    }
    fs::path file() const { return folder_ / "out" / "results.jsonl"; }

    std::shared_ptr<fp::sdk::Sink> makeSink() override {
        return fp::testing::makeBuilt<fp::sdk::Sink>(
            "sink-jsonl", R"({"fsync":false,"path":")" + file().string() + R"("})");
    }
    std::vector<std::string> storedResultIds() override {
        std::vector<std::string> ids;
        std::ifstream in(file());
        std::string line;
        while (std::getline(in, line)) {
            Poco::JSON::Parser parser;
            auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
            ids.push_back(object->getValue<std::string>("resultId"));
        }
        return ids;
    }

  private:
    fs::path folder_;
};

fp::testkit::SinkConformanceOptions faults() {
    fp::testkit::SinkConformanceOptions options;
    // EISDIR and ENOTDIR fail for root too, unlike permissions.
    fp::testkit::SinkFault fileIsAFolder;
    fileIsAFolder.name = "a results path that is a folder";
    fileIsAFolder.expected = fp::sdk::DeliveryOutcome::retry;
    fileIsAFolder.makeDestination = [] {
        auto destination = std::make_unique<JsonlFolder>();
        fs::create_directories(destination->file());
        return destination;
    };
    fileIsAFolder.repair = [](fp::testkit::SinkDestination& destination) {
        fs::remove(static_cast<JsonlFolder&>(destination).file());
    };
    options.faults.push_back(fileIsAFolder);

    fp::testkit::SinkFault folderIsAFile;
    folderIsAFile.name = "a results folder that is a file";
    folderIsAFile.expected = fp::sdk::DeliveryOutcome::retry;
    folderIsAFile.makeDestination = [] {
        auto destination = std::make_unique<JsonlFolder>();
        std::ofstream(destination->file().parent_path()) << "not a folder";
        return destination;
    };
    folderIsAFile.repair = [](fp::testkit::SinkDestination& destination) {
        fs::remove(static_cast<JsonlFolder&>(destination).file().parent_path());
    };
    options.faults.push_back(folderIsAFile);
    return options;
}

const bool sinkKit = fp::testkit::registerSinkConformance(
    "sink-jsonl", [] { return std::make_unique<JsonlFolder>(); }, faults());
}  // namespace
