// Conformance: presence of server instances (heartbeat with a ttl).
#pragma once

#include <algorithm>

#include "firepoker/testkit/detail/storage_fixture.hpp"

namespace fp::testkit::detail {

inline bool isLive(fp::sdk::Storage& storage, const std::string& instanceId) {
    auto live = storage.liveInstances();
    INFO(live.status.message);
    REQUIRE(live.status.ok());
    const auto& ids = live.liveInstanceIds;
    return std::find(ids.begin(), ids.end(), instanceId) != ids.end();
}

inline void heartbeatsKeepInstancesLive(const StorageFactory& factory) {
    StartedStorage storage(factory);
    const auto shortLived = uniqueId("instance-a");
    const auto refreshed = uniqueId("instance-b");
    const auto longLived = uniqueId("instance-c");
    CHECK_FALSE(isLive(*storage, shortLived));
    REQUIRE(storage->heartbeat(shortLived, std::chrono::seconds(1)).ok());
    REQUIRE(storage->heartbeat(refreshed, std::chrono::seconds(1)).ok());
    REQUIRE(storage->heartbeat(longLived, std::chrono::seconds(30)).ok());
    CHECK(isLive(*storage, shortLived));
    CHECK(isLive(*storage, refreshed));
    sleepMs(600);
    REQUIRE(storage->heartbeat(refreshed, std::chrono::seconds(1)).ok());
    sleepMs(700);
    CHECK_FALSE(isLive(*storage, shortLived));
    CHECK(isLive(*storage, refreshed));
    CHECK(isLive(*storage, longLived));
    // A dead instance comes back with its next heartbeat.
    REQUIRE(storage->heartbeat(shortLived, std::chrono::seconds(1)).ok());
    CHECK(isLive(*storage, shortLived));
}

}  // namespace fp::testkit::detail
