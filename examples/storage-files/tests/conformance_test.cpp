// The SDK's storage conformance kit against storage-files: compare-and-swap, conflicts, TTL,
// the outbox with its visibility timeout, presence. Each case gets a fresh folder.
#include <filesystem>
#include <vector>

#include "file_storage.hpp"
#include "firepoker/testkit/plugin_context.hpp"
#include "firepoker/testkit/storage_conformance.hpp"

namespace {
namespace fs = std::filesystem;

// Every folder made for a case, removed when the test program ends.
struct Folders {
    std::vector<fs::path> made;
    ~Folders() {
        std::error_code ec;
        for (const auto& folder : made)
            fs::remove_all(folder, ec);
    }
} folders;

std::shared_ptr<fp::sdk::Storage> freshStorage() {
    const auto folder = fs::temp_directory_path() / fp::testkit::uniqueId("storage-files");
    folders.made.push_back(folder);
    return std::make_shared<fp::examples::files::FileStorage>(
        fp::testkit::contextFor(fp::examples::files::manifest(), {{"folder", folder.string()}}));
}

const bool kit = fp::testkit::registerStorageConformance("storage-files", freshStorage);
}  // namespace
