#include <catch2/catch.hpp>

#include "room/time_format.hpp"

using namespace fp::room;

TEST_CASE("unix ms are written as ISO-8601 UTC with milliseconds", "[time]") {
    CHECK(formatIsoUtcMs(0) == "1970-01-01T00:00:00.000Z");
    CHECK(formatIsoUtcMs(1795856400123) == "2026-11-28T09:00:00.123Z");
    CHECK(formatIsoUtcMs(951782400000) == "2000-02-29T00:00:00.000Z");  // leap day
    CHECK(formatIsoUtcMs(1709251199999) == "2024-02-29T23:59:59.999Z");
    CHECK(formatIsoUtcMs(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(formatIsoUtcMs(4102444800000) == "2100-01-01T00:00:00.000Z");
}

TEST_CASE("ISO-8601 is read back", "[time]") {
    CHECK(parseIsoUtcMs("2026-11-28T09:00:00.123Z") == 1795856400123);
    CHECK(parseIsoUtcMs("2026-11-28T09:00:00Z") == 1795856400000);
    CHECK(parseIsoUtcMs("2026-11-28T10:00:00.5+01:00") == 1795856400500);
    CHECK(parseIsoUtcMs("1969-12-31T23:59:59.999Z") == -1);
    CHECK_FALSE(parseIsoUtcMs("2026-02-30T00:00:00Z"));
    CHECK_FALSE(parseIsoUtcMs("2026-11-28 09:00:00Z"));
    CHECK_FALSE(parseIsoUtcMs("2026-11-28T09:00:00"));
    CHECK_FALSE(parseIsoUtcMs("2026-11-28T09:00:00Zjunk"));
    for (std::int64_t ms : {0LL, 1795856400123LL, 951782400000LL, -86400001LL, 253402300799999LL}) {
        CHECK(parseIsoUtcMs(formatIsoUtcMs(ms)) == ms);
    }
}
