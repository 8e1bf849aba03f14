// Conformance: versioned room documents with compare-and-swap, removal and expiry.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "firepoker/testkit/detail/storage_fixture.hpp"

namespace fp::testkit::detail {

inline void roomNotStoredIsNotFound(const StorageFactory& factory) {
    StartedStorage storage(factory);
    auto loaded = storage->load(uniqueId("missing"));
    CHECK(loaded.status.code == fp::sdk::StatusCode::notFound);
    CHECK(loaded.document.version == 0);
}

inline void firstCommitCreatesVersionOne(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("create");
    // Opaque text: quotes, newlines, non-ASCII, a NUL byte and a large body come back as is.
    std::string json = "{\"name\":\"Caf\xc3\xa9 \\\"team\\\"\",\"note\":\"a\nb\"}";
    json += std::string(1, '\0') + std::string(100000, 'x');
    auto created = commit(*storage, room, 0, json);
    INFO(created.status.message);
    REQUIRE(created.status.ok());
    CHECK(created.version == 1);
    auto loaded = storage->load(room);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.roomId == room);
    CHECK(loaded.document.version == 1);
    CHECK(loaded.document.json == json);
}

inline void creatingAnExistingRoomConflicts(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("exists");
    REQUIRE(commit(*storage, room, 0, "first").status.ok());
    auto second = commit(*storage, room, 0, "second");
    CHECK(second.status.code == fp::sdk::StatusCode::conflict);
    auto loaded = storage->load(room);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 1);
    CHECK(loaded.document.json == "first");
}

inline void staleVersionConflictsAndWritesNothing(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("stale");
    REQUIRE(commit(*storage, room, 0, "v1").status.ok());
    REQUIRE(commit(*storage, room, 1, "v2").status.ok());
    // A lost compare-and-swap adds none of its outbox records either.
    auto stale = commit(*storage, room, 1, "v2-bis", {makeRecord("sink-a", uniqueId("r"))});
    CHECK(stale.status.code == fp::sdk::StatusCode::conflict);
    auto ahead = commit(*storage, room, 7, "v8");
    CHECK(ahead.status.code == fp::sdk::StatusCode::conflict);
    auto loaded = storage->load(room);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 2);
    CHECK(loaded.document.json == "v2");
    auto stats = storage->outboxStats();
    REQUIRE(stats.status.ok());
    CHECK(stats.pending == 0);
    CHECK(claimAll(*storage, "kit", std::chrono::seconds(30)).empty());
}

inline void versionsGrowByExactlyOne(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("grow");
    for (std::uint64_t expected = 0; expected < 20; ++expected) {
        auto result = commit(*storage, room, expected, "v" + std::to_string(expected + 1));
        INFO(result.status.message);
        REQUIRE(result.status.ok());
        CHECK(result.version == expected + 1);
    }
    auto loaded = storage->load(room);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.version == 20);
    CHECK(loaded.document.json == "v20");
}

// Read-modify-write loops from several threads: every increment lands exactly once.
inline void concurrentWritersLoseNoUpdate(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("race");
    REQUIRE(commit(*storage, room, 0, "0").status.ok());
    constexpr int threads = 8;
    constexpr int increments = 25;
    std::atomic<int> failures{0};
    std::mutex versionsMutex;
    std::set<std::uint64_t> versions;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < increments; ++i) {
                for (int attempt = 0;; ++attempt) {
                    auto loaded = storage->load(room);
                    if (!loaded.status.ok() || attempt > 10000) {
                        ++failures;
                        return;
                    }
                    const int value = std::stoi(loaded.document.json) + 1;
                    auto result =
                        commit(*storage, room, loaded.document.version, std::to_string(value));
                    if (result.status.ok()) {
                        std::lock_guard<std::mutex> lock(versionsMutex);
                        versions.insert(result.version);
                        break;
                    }
                    if (result.status.code != fp::sdk::StatusCode::conflict) {
                        ++failures;
                        return;
                    }
                }
            }
        });
    }
    for (auto& worker : workers)
        worker.join();
    CHECK(failures == 0);
    auto loaded = storage->load(room);
    REQUIRE(loaded.status.ok());
    CHECK(loaded.document.json == std::to_string(threads * increments));
    CHECK(loaded.document.version == 1 + threads * increments);
    // Each successful commit got its own version.
    CHECK(versions.size() == static_cast<std::size_t>(threads * increments));
}

inline void removeDeletesTheRoom(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("remove");
    REQUIRE(commit(*storage, room, 0, "v1").status.ok());
    REQUIRE(commit(*storage, room, 1, "v2").status.ok());
    REQUIRE(storage->remove(room).ok());
    CHECK(storage->load(room).status.code == fp::sdk::StatusCode::notFound);
    CHECK(storage->remove(uniqueId("never-there")).ok());
    auto again = commit(*storage, room, 0, "again");
    REQUIRE(again.status.ok());
    CHECK(again.version == 1);
}

// ttl is whole seconds; the checks leave 300 ms either side.
inline void roomsExpireAfterTheirTtl(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("ttl");
    const auto forever = uniqueId("forever");
    const auto ttl = std::chrono::seconds(1);
    REQUIRE(commit(*storage, room, 0, "v1", {}, ttl).status.ok());
    REQUIRE(commit(*storage, forever, 0, "v1").status.ok());
    sleepMs(600);
    // A change refreshes the expiry.
    REQUIRE(commit(*storage, room, 1, "v2", {}, ttl).status.ok());
    sleepMs(700);
    auto stillThere = storage->load(room);
    INFO("1.3 s after creation, 0.7 s after the last change");
    REQUIRE(stillThere.status.ok());
    CHECK(stillThere.document.version == 2);
    sleepMs(700);
    CHECK(storage->load(room).status.code == fp::sdk::StatusCode::notFound);
    CHECK(storage->load(forever).status.ok());
    // An expired room starts again at version 1.
    auto recreated = commit(*storage, room, 0, "new");
    REQUIRE(recreated.status.ok());
    CHECK(recreated.version == 1);
}

}  // namespace fp::testkit::detail
