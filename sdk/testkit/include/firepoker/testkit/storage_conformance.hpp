// The storage conformance kit: every behaviour the core relies on, as Catch2 test cases run
// against a storage plugin made by your factory.
//
//   #include "firepoker/testkit/plugin_context.hpp"
//   #include "firepoker/testkit/storage_conformance.hpp"
//   static const bool kit = fp::testkit::registerStorageConformance("storage-mine", [] {
//       // A fresh namespace per call (a folder, a key prefix), so cases never see each other.
//       return std::make_shared<MyStorage>(fp::testkit::contextFor(
//           myManifest(), {{"folder", "/tmp/" + fp::testkit::uniqueId("kit")}}));
//   });
//
// Link Catch2::Catch2WithMain; each case makes a new storage, starts it and stops it.
// Tags: [conformance][storage] plus [rooms], [outbox] or [presence].
#pragma once

#include <string>

#include "firepoker/testkit/detail/storage_outbox_cases.hpp"
#include "firepoker/testkit/detail/storage_presence_cases.hpp"
#include "firepoker/testkit/detail/storage_room_cases.hpp"
#include "firepoker/testkit/registration.hpp"

namespace fp::testkit {

inline bool registerStorageConformance(const std::string& label, StorageFactory factory) {
    using Case = void (*)(const StorageFactory&);
    struct Entry {
        const char* name;
        const char* tags;
        Case run;
    };
    static const Entry entries[] = {
        {"a room not stored loads as notFound", "[rooms]", detail::roomNotStoredIsNotFound},
        {"the first commit creates version 1, loaded back byte for byte", "[rooms]",
         detail::firstCommitCreatesVersionOne},
        {"creating a room that exists conflicts and changes nothing", "[rooms]",
         detail::creatingAnExistingRoomConflicts},
        {"a stale expected version conflicts and writes nothing, outbox included", "[rooms]",
         detail::staleVersionConflictsAndWritesNothing},
        {"versions grow by exactly one per commit", "[rooms]", detail::versionsGrowByExactlyOne},
        {"concurrent read-modify-write loops lose no update", "[rooms][threads]",
         detail::concurrentWritersLoseNoUpdate},
        {"remove deletes a room, which can then be created again", "[rooms]",
         detail::removeDeletesTheRoom},
        {"rooms expire after their ttl and every commit refreshes it", "[rooms][ttl]",
         detail::roomsExpireAfterTheirTtl},
        {"outbox records arrive with their commit, every field intact", "[outbox]",
         detail::outboxRecordsArriveWithTheCommit},
        {"a claimed record stays hidden until its visibility timeout passes", "[outbox]",
         detail::claimedRecordsHideUntilVisibilityPasses},
        {"a claim returns at most max records", "[outbox]", detail::claimRespectsMax},
        {"concurrent claims never hand one record to two consumers", "[outbox][threads]",
         detail::concurrentClaimsNeverShareARecord},
        {"ack removes, release reschedules with attempts and error after notBefore", "[outbox]",
         detail::ackReleaseAndNotBefore},
        {"failed records wait for an operator and can be requeued", "[outbox]",
         detail::failedRecordsWaitForAnOperator},
        {"outbox stats count pending and failed records and date the oldest", "[outbox]",
         detail::outboxStatsCountAndDate},
        {"heartbeats keep an instance live until its ttl passes", "[presence]",
         detail::heartbeatsKeepInstancesLive},
    };
    for (const auto& entry : entries) {
        registerTestCase(label + " storage: " + entry.name,
                         std::string("[conformance][storage]") + entry.tags,
                         [factory, run = entry.run] { run(factory); });
    }
    return true;
}

}  // namespace fp::testkit
