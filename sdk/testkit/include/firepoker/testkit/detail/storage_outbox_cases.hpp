// Conformance: the outbox. Records come in with a commit, are claimed by one consumer at a
// time with a visibility timeout, and are acked, released (rescheduled) or kept as failed.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "firepoker/testkit/detail/storage_fixture.hpp"

namespace fp::testkit::detail {

inline void outboxRecordsArriveWithTheCommit(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto room = uniqueId("outbox");
    const auto resultId = uniqueId("r");
    auto a = makeRecord("sink-a", resultId, 1700000000123);
    auto b = makeRecord("sink-b", resultId, 1700000000456);
    b.payload = std::string("{\"name\":\"Caf\xc3\xa9\"}") + std::string(20000, 'p');
    auto committed = commit(*storage, room, 0, "v1", {a, b});
    INFO(committed.status.message);
    REQUIRE(committed.status.ok());

    auto claimed = claimAll(*storage, "consumer-1", std::chrono::seconds(30));
    REQUIRE(claimed.size() == 2);
    std::sort(claimed.begin(), claimed.end(),
              [](const auto& x, const auto& y) { return x.id < y.id; });
    for (const auto& [got, want] : {std::pair{claimed[0], a}, std::pair{claimed[1], b}}) {
        CHECK(got.id == want.id);
        CHECK(got.sink == want.sink);
        CHECK(got.resultId == want.resultId);
        CHECK(got.payload == want.payload);
        CHECK(got.attempts == 0);
        CHECK(got.createdAtMs == want.createdAtMs);
        CHECK(got.lastError.empty());
    }
}

inline void claimedRecordsHideUntilVisibilityPasses(const StorageFactory& factory) {
    StartedStorage storage(factory);
    REQUIRE(commit(*storage, uniqueId("vis"), 0, "v1", {makeRecord("sink", uniqueId("r"))})
                .status.ok());
    const auto visibility = std::chrono::milliseconds(400);
    auto first = storage->claimOutbox("consumer-1", 10, visibility);
    REQUIRE(first.status.ok());
    REQUIRE(first.records.size() == 1);
    // Invisible to everyone, the claimer included, while the claim lasts.
    CHECK(storage->claimOutbox("consumer-2", 10, visibility).records.empty());
    CHECK(storage->claimOutbox("consumer-1", 10, visibility).records.empty());
    sleepMs(700);
    // The claimer "crashed": the record is back for the next consumer.
    auto second = storage->claimOutbox("consumer-2", 10, std::chrono::seconds(30));
    REQUIRE(second.status.ok());
    REQUIRE(second.records.size() == 1);
    CHECK(second.records[0].id == first.records[0].id);
    CHECK(second.records[0].payload == first.records[0].payload);
}

inline void claimRespectsMax(const StorageFactory& factory) {
    StartedStorage storage(factory);
    std::vector<fp::sdk::OutboxRecord> records;
    for (int i = 0; i < 5; ++i)
        records.push_back(makeRecord("sink", uniqueId("r")));
    REQUIRE(commit(*storage, uniqueId("max"), 0, "v1", records).status.ok());
    auto two = storage->claimOutbox("c", 2, std::chrono::seconds(30));
    REQUIRE(two.status.ok());
    CHECK(two.records.size() == 2);
    auto rest = storage->claimOutbox("c", 100, std::chrono::seconds(30));
    REQUIRE(rest.status.ok());
    CHECK(rest.records.size() == 3);
}

inline void concurrentClaimsNeverShareARecord(const StorageFactory& factory) {
    StartedStorage storage(factory);
    constexpr int total = 40;
    for (int i = 0; i < total; i += 4) {
        std::vector<fp::sdk::OutboxRecord> batch;
        for (int j = 0; j < 4; ++j)
            batch.push_back(makeRecord("sink", "r" + std::to_string(i + j)));
        REQUIRE(commit(*storage, uniqueId("share"), 0, "v1", batch).status.ok());
    }
    std::mutex mutex;
    std::map<std::string, int> seen;
    int failures = 0;
    std::vector<std::thread> consumers;
    for (int c = 0; c < 4; ++c) {
        consumers.emplace_back([&, c] {
            for (int round = 0; round < 30; ++round) {
                auto claimed = storage->claimOutbox("consumer-" + std::to_string(c), 3,
                                                    std::chrono::seconds(60));
                std::lock_guard<std::mutex> lock(mutex);
                if (!claimed.status.ok())
                    ++failures;
                for (const auto& record : claimed.records)
                    ++seen[record.id];
            }
        });
    }
    for (auto& consumer : consumers)
        consumer.join();
    CHECK(failures == 0);
    CHECK(seen.size() == static_cast<std::size_t>(total));
    for (const auto& [id, count] : seen) {
        INFO(id);
        CHECK(count == 1);
    }
}

inline void ackReleaseAndNotBefore(const StorageFactory& factory) {
    StartedStorage storage(factory);
    auto acked = makeRecord("sink", uniqueId("acked"));
    auto retried = makeRecord("sink", uniqueId("retried"));
    REQUIRE(commit(*storage, uniqueId("ack"), 0, "v1", {acked, retried}).status.ok());
    auto claimed = claimAll(*storage, "c", std::chrono::seconds(30));
    REQUIRE(claimed.size() == 2);

    REQUIRE(storage->ackOutbox(acked.id).ok());
    CHECK(storage->ackOutbox(acked.id).ok());  // acking twice is harmless

    auto again = *std::find_if(claimed.begin(), claimed.end(),
                               [&](const auto& r) { return r.id == retried.id; });
    again.attempts = 3;
    again.lastError = "HTTP 503 from the sink";
    again.notBeforeMs = nowUnixMs() + 600;
    REQUIRE(storage->releaseOutbox(again).ok());
    // Released, but not before notBeforeMs.
    CHECK(storage->claimOutbox("c", 10, std::chrono::seconds(30)).records.empty());
    sleepMs(900);
    auto back = storage->claimOutbox("c", 10, std::chrono::seconds(30));
    REQUIRE(back.status.ok());
    REQUIRE(back.records.size() == 1);
    CHECK(back.records[0].id == retried.id);
    CHECK(back.records[0].attempts == 3);
    CHECK(back.records[0].lastError == "HTTP 503 from the sink");
    CHECK(back.records[0].payload == retried.payload);

    // Releasing a record that is no longer pending says so.
    CHECK(storage->releaseOutbox(acked).code == fp::sdk::StatusCode::notFound);
    auto stats = storage->outboxStats();
    REQUIRE(stats.status.ok());
    CHECK(stats.pending == 1);
}

inline void failedRecordsWaitForAnOperator(const StorageFactory& factory) {
    StartedStorage storage(factory);
    auto record = makeRecord("sink", uniqueId("bad"));
    REQUIRE(commit(*storage, uniqueId("fail"), 0, "v1", {record}).status.ok());
    auto claimed = claimAll(*storage, "c", std::chrono::seconds(30));
    REQUIRE(claimed.size() == 1);
    auto failing = claimed[0];
    failing.attempts = 12;
    failing.lastError = "the sink refused the record: 400";
    REQUIRE(storage->failOutbox(failing).ok());

    auto stats = storage->outboxStats();
    REQUIRE(stats.status.ok());
    CHECK(stats.pending == 0);
    CHECK(stats.failed == 1);
    CHECK(stats.oldestPendingCreatedAtMs == 0);
    CHECK(claimAll(*storage, "c", std::chrono::seconds(30)).empty());

    auto failed = storage->listFailedOutbox();
    REQUIRE(failed.status.ok());
    REQUIRE(failed.records.size() == 1);
    CHECK(failed.records[0].id == record.id);
    CHECK(failed.records[0].payload == record.payload);
    CHECK(failed.records[0].attempts == 12);
    CHECK(failed.records[0].lastError == "the sink refused the record: 400");

    REQUIRE(storage->requeueFailedOutbox(record.id).ok());
    CHECK(storage->requeueFailedOutbox(record.id).code == fp::sdk::StatusCode::notFound);
    CHECK(storage->requeueFailedOutbox(uniqueId("unknown")).code == fp::sdk::StatusCode::notFound);
    CHECK(storage->listFailedOutbox().records.empty());
    auto back = claimAll(*storage, "c", std::chrono::seconds(30));
    REQUIRE(back.size() == 1);
    CHECK(back[0].id == record.id);
    CHECK(back[0].attempts == 0);
    CHECK(back[0].notBeforeMs == 0);
}

inline void outboxStatsCountAndDate(const StorageFactory& factory) {
    StartedStorage storage(factory);
    auto empty = storage->outboxStats();
    REQUIRE(empty.status.ok());
    CHECK(empty.pending == 0);
    CHECK(empty.failed == 0);
    CHECK(empty.oldestPendingCreatedAtMs == 0);

    const std::int64_t oldest = 1700000000000;
    REQUIRE(commit(*storage, uniqueId("stats"), 0, "v1",
                   {makeRecord("a", uniqueId("r"), oldest + 5000),
                    makeRecord("b", uniqueId("r"), oldest)})
                .status.ok());
    REQUIRE(commit(*storage, uniqueId("stats"), 0, "v1",
                   {makeRecord("a", uniqueId("r"), oldest + 9000)})
                .status.ok());
    auto stats = storage->outboxStats();
    REQUIRE(stats.status.ok());
    CHECK(stats.pending == 3);
    CHECK(stats.failed == 0);
    CHECK(stats.oldestPendingCreatedAtMs == oldest);
    // Claimed records are still pending.
    REQUIRE(claimAll(*storage, "c", std::chrono::seconds(30)).size() == 3);
    CHECK(storage->outboxStats().pending == 3);
}

}  // namespace fp::testkit::detail
