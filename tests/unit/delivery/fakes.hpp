// A storage that only keeps an outbox, and a sink that answers what the test says: enough to
// watch the delivery worker's decisions.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "util/clock.hpp"

namespace fp::testing {

class OutboxOnlyStorage final : public fp::sdk::Storage {
  public:
    void add(const std::string& sink, const std::string& resultId) {
        fp::sdk::OutboxRecord r;
        r.id = sink + "/" + resultId;
        r.sink = sink;
        r.resultId = resultId;
        r.payload = "{\"resultId\":\"" + resultId + "\"}";
        r.createdAtMs = util::nowUnixMs();
        std::lock_guard<std::mutex> lock(mutex_);
        pending[r.id] = {r, false};
    }
    // Test view.
    struct Entry {
        fp::sdk::OutboxRecord record;
        bool claimed;
    };
    std::map<std::string, Entry> pending;
    std::map<std::string, fp::sdk::OutboxRecord> failed;
    std::vector<std::string> acked;
    int releases = 0;
    std::size_t ackedCount() {
        std::lock_guard<std::mutex> lock(mutex_);
        return acked.size();
    }

    fp::sdk::LoadResult load(const std::string&) override { return {}; }
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest&) override { return {}; }
    fp::sdk::Status remove(const std::string&) override { return {}; }
    fp::sdk::ClaimResult claimOutbox(const std::string&, std::size_t max,
                                     std::chrono::milliseconds) override {
        std::lock_guard<std::mutex> lock(mutex_);
        fp::sdk::ClaimResult result;
        const auto now = util::nowUnixMs();
        for (auto& [id, e] : pending) {
            if (result.records.size() >= max)
                break;
            if (e.claimed || e.record.notBeforeMs > now)
                continue;
            e.claimed = true;
            result.records.push_back(e.record);
        }
        return result;
    }
    fp::sdk::Status ackOutbox(const std::string& id) override {
        std::lock_guard<std::mutex> lock(mutex_);
        pending.erase(id);
        acked.push_back(id);
        return {};
    }
    fp::sdk::Status releaseOutbox(const fp::sdk::OutboxRecord& r) override {
        std::lock_guard<std::mutex> lock(mutex_);
        ++releases;
        pending[r.id] = {r, false};
        return {};
    }
    fp::sdk::Status failOutbox(const fp::sdk::OutboxRecord& r) override {
        std::lock_guard<std::mutex> lock(mutex_);
        pending.erase(r.id);
        failed[r.id] = r;
        return {};
    }
    fp::sdk::FailedListResult listFailedOutbox() override { return {}; }
    fp::sdk::Status requeueFailedOutbox(const std::string&) override { return {}; }
    fp::sdk::OutboxStats outboxStats() override { return {}; }
    fp::sdk::Status heartbeat(const std::string&, std::chrono::seconds) override { return {}; }
    fp::sdk::InstancesResult liveInstances() override { return {}; }

  private:
    std::mutex mutex_;
};

class ScriptedSink final : public fp::sdk::Sink {
  public:
    // Answers given in order; after the script, `delivered`.
    std::deque<fp::sdk::DeliveryResult> script;
    bool throwNext = false;
    std::vector<std::string> calls;  // resultIds, in order

    fp::sdk::DeliveryResult deliver(const std::string& resultId, const std::string&) override {
        calls.push_back(resultId);
        if (throwNext) {
            throwNext = false;
            throw std::runtime_error("boom");
        }
        if (script.empty())
            return {};
        auto next = script.front();
        script.pop_front();
        return next;
    }
};

}  // namespace fp::testing
