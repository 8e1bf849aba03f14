// What storage-files adds to the kit: rooms and the outbox survive a restart; claims do not
// (the claimer is gone), and a damaged file is skipped, not fatal.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "file_storage.hpp"
#include "firepoker/testkit/plugin_context.hpp"

namespace {
namespace fs = std::filesystem;

struct Folder {
    fs::path path = fs::temp_directory_path() /
                    ("storage-files-restart-" + std::to_string(std::random_device{}()));
    ~Folder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::unique_ptr<fp::examples::files::FileStorage> open() const {
        auto storage = std::make_unique<fp::examples::files::FileStorage>(
            fp::testkit::contextFor(fp::examples::files::manifest(), {{"folder", path.string()}}));
        REQUIRE(storage->start().ok());
        return storage;
    }
};

fp::sdk::CommitRequest change(const std::string& room, std::uint64_t expected, std::string json,
                              std::vector<fp::sdk::OutboxRecord> outbox = {}) {
    fp::sdk::CommitRequest request;
    request.roomId = room;
    request.expectedVersion = expected;
    request.json = std::move(json);
    request.outbox = std::move(outbox);
    return request;
}

fp::sdk::OutboxRecord record(const std::string& resultId) {
    fp::sdk::OutboxRecord r;
    r.id = "sink/" + resultId;
    r.sink = "sink";
    r.resultId = resultId;
    r.payload = "{\"resultId\":\"" + resultId + "\"}";
    r.createdAtMs = 1700000000000;
    return r;
}
}  // namespace

TEST_CASE("rooms, pending and failed results come back after a restart", "[restart]") {
    Folder folder;
    {
        auto storage = folder.open();
        auto first = change("room-a", 0, std::string("v1\0bytes", 8), {record("r1")});
        REQUIRE(storage->compareAndSwap(first).status.ok());
        REQUIRE(storage->compareAndSwap(change("room-a", 1, "v2", {record("r2")})).status.ok());
        auto claimed = storage->claimOutbox("c", 10, std::chrono::seconds(60));
        REQUIRE(claimed.records.size() == 2);
        REQUIRE(storage->failOutbox(claimed.records[1]).ok());
        storage->stop();
    }
    auto storage = folder.open();
    auto loaded = storage->load("room-a");
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 2);
    CHECK(loaded.document.json == "v2");
    // The claim died with the process: the record is claimable at once.
    auto claimed = storage->claimOutbox("c", 10, std::chrono::seconds(60));
    REQUIRE(claimed.records.size() == 1);
    CHECK(claimed.records[0].resultId == "r1");
    CHECK(claimed.records[0].createdAtMs == 1700000000000);
    auto failed = storage->listFailedOutbox();
    REQUIRE(failed.records.size() == 1);
    CHECK(failed.records[0].resultId == "r2");
    // Versions go on from where they were.
    CHECK(storage->compareAndSwap(change("room-a", 2, "v3")).version == 3);
}

TEST_CASE("a damaged file is skipped with a warning; the rest loads", "[restart]") {
    Folder folder;
    {
        auto storage = folder.open();
        REQUIRE(storage->compareAndSwap(change("good", 0, "ok")).status.ok());
    }
    std::ofstream(folder.path / "rooms" / "6261642d726f6f6d") << "12:truncated";
    auto storage = folder.open();
    CHECK(storage->load("good").status.ok());
    CHECK(storage->load("bad-room").status.code == fp::sdk::StatusCode::notFound);
}

TEST_CASE("a folder that cannot be made refuses to start, naming it", "[restart]") {
    Folder folder;
    fs::create_directories(folder.path);
    std::ofstream(folder.path / "blocked") << "a file where a folder should be";
    fp::examples::files::FileStorage storage(fp::testkit::contextFor(
        fp::examples::files::manifest(), {{"folder", (folder.path / "blocked").string()}}));
    auto started = storage.start();
    CHECK(started.code == fp::sdk::StatusCode::unavailable);
    CHECK(started.message.find("blocked") != std::string::npos);
}
