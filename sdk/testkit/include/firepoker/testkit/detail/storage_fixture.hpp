// The storage under test for one test case: made by the plugin author's factory, started,
// and stopped at the end.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "firepoker/sdk/storage.hpp"
#include "firepoker/testkit/conformance_support.hpp"

namespace fp::testkit {

// Makes a new storage, not started, that shares nothing with the ones made before (for a
// server-backed storage: a fresh key prefix or database). May throw to fail the test.
using StorageFactory = std::function<std::shared_ptr<fp::sdk::Storage>()>;

namespace detail {

class StartedStorage {
  public:
    explicit StartedStorage(const StorageFactory& factory) : storage_(factory()) {
        REQUIRE(storage_ != nullptr);
        auto status = storage_->start();
        INFO(status.message);
        REQUIRE(status.ok());
    }
    ~StartedStorage() { storage_->stop(); }
    StartedStorage(const StartedStorage&) = delete;
    StartedStorage& operator=(const StartedStorage&) = delete;

    fp::sdk::Storage& operator*() { return *storage_; }
    fp::sdk::Storage* operator->() { return storage_.get(); }

  private:
    std::shared_ptr<fp::sdk::Storage> storage_;
};

inline fp::sdk::OutboxRecord makeRecord(const std::string& sink, const std::string& resultId,
                                        std::int64_t createdAtMs = 0) {
    fp::sdk::OutboxRecord record;
    record.id = sink + "/" + resultId;
    record.sink = sink;
    record.resultId = resultId;
    record.payload =
        "{\"resultId\":\"" + resultId + "\",\"estimate\":\"5\",\"note\":\"line\\nbreak\"}";
    record.createdAtMs = createdAtMs != 0 ? createdAtMs : nowUnixMs();
    return record;
}

inline fp::sdk::CommitResult commit(fp::sdk::Storage& storage, const std::string& roomId,
                                    std::uint64_t expected, const std::string& json,
                                    std::vector<fp::sdk::OutboxRecord> outbox = {},
                                    std::chrono::seconds ttl = std::chrono::seconds(0)) {
    fp::sdk::CommitRequest request;
    request.roomId = roomId;
    request.expectedVersion = expected;
    request.json = json;
    request.outbox = std::move(outbox);
    request.publishPayload =
        "{\"type\":\"state\",\"version\":" + std::to_string(expected + 1) + "}";
    request.ttl = ttl;
    return storage.compareAndSwap(request);
}

// Claims until nothing more comes (at most `rounds` claims).
inline std::vector<fp::sdk::OutboxRecord> claimAll(fp::sdk::Storage& storage,
                                                   const std::string& consumer,
                                                   std::chrono::milliseconds visibility,
                                                   int rounds = 10) {
    std::vector<fp::sdk::OutboxRecord> all;
    for (int i = 0; i < rounds; ++i) {
        auto claimed = storage.claimOutbox(consumer, 100, visibility);
        INFO(claimed.status.message);
        REQUIRE(claimed.status.ok());
        if (claimed.records.empty())
            break;
        all.insert(all.end(), claimed.records.begin(), claimed.records.end());
    }
    return all;
}

}  // namespace detail
}  // namespace fp::testkit
