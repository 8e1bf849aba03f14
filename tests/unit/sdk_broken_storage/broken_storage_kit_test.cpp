// The storage conformance kit against test-broken-storage (blind compare-and-swap, claims
// without a visibility timeout). This program is EXPECTED TO FAIL: tests/sdk/
// expect_kit_failures.cmake runs it and checks that exactly the broken behaviours are caught.
#include "built_plugins.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/testkit/storage_conformance.hpp"

namespace {
const bool storageKit = fp::testkit::registerStorageConformance("test-broken-storage", [] {
    return fp::testing::makeBuilt<fp::sdk::Storage>("test-broken-storage");
});
}  // namespace
