// The room service skips parsing a room document it committed itself; any other text must
// miss, so a change by another instance or a room recreated by storage is always parsed.
#include <catch2/catch.hpp>

#include "room/room.hpp"
#include "service/decoded_room_cache.hpp"

using fp::room::Room;
using fp::service::DecodedRoomCache;

namespace {
Room roomNamed(const std::string& name, std::uint64_t version) {
    Room room = fp::room::newRoom("alpha", 1795856400000);
    room.name = name;
    room.version = version;
    return room;
}

fp::service::CachedRoom entry(const std::string& json, Room room) {
    fp::service::CachedRoom cached;
    cached.document.text = json;
    cached.room = std::move(room);
    return cached;
}
}  // namespace

TEST_CASE("the decoded-room cache hits only on the exact text it was given", "[room_cache]") {
    DecodedRoomCache cache(1 << 20);
    CHECK(cache.find("alpha", "{\"v\":1}") == nullptr);  // nothing kept yet

    cache.remember("alpha", entry("{\"v\":1}", roomNamed("one", 1)));
    auto hit = cache.find("alpha", "{\"v\":1}");
    REQUIRE(hit != nullptr);
    CHECK(hit->room.name == "one");
    CHECK(hit->room.version == 1);

    CHECK(cache.find("alpha", "{\"v\":2}") == nullptr);   // changed elsewhere: parse it
    CHECK(cache.find("alpha", "{\"v\":1} ") == nullptr);  // not byte for byte the same
    CHECK(cache.find("beta", "{\"v\":1}") == nullptr);    // another room

    // A newer commit replaces the entry; a reader holding the old one still has it intact.
    cache.remember("alpha", entry("{\"v\":2}", roomNamed("two", 2)));
    CHECK(hit->room.name == "one");
    CHECK(cache.find("alpha", "{\"v\":1}") == nullptr);
    REQUIRE(cache.find("alpha", "{\"v\":2}") != nullptr);
    CHECK(cache.find("alpha", "{\"v\":2}")->room.name == "two");

    cache.forget("alpha");
    CHECK(cache.find("alpha", "{\"v\":2}") == nullptr);
}

TEST_CASE("the decoded-room cache keeps to its byte budget", "[room_cache]") {
    DecodedRoomCache cache(100);
    const std::string big(60, 'x');
    cache.remember("a", entry(big + "a", roomNamed("a", 1)));
    cache.remember("b", entry(big + "b", roomNamed("b", 1)));  // 122 bytes > 100: "a" goes
    CHECK(cache.find("a", big + "a") == nullptr);
    CHECK(cache.find("b", big + "b") != nullptr);  // the newest is always kept
}

TEST_CASE("the decoded-room cache gives the latest committed room of a room, until forgotten",
          "[room_cache]") {
    DecodedRoomCache cache(1 << 20);
    CHECK(cache.latest("alpha") == nullptr);
    cache.remember("alpha", entry("{\"v\":1}", roomNamed("one", 1)));
    cache.remember("alpha", entry("{\"v\":2}", roomNamed("two", 2)));
    auto latest = cache.latest("alpha");
    REQUIRE(latest != nullptr);
    CHECK(latest->room.name == "two");
    CHECK(latest->room.version == 2);
    CHECK(cache.latest("beta") == nullptr);
    cache.forget("alpha");  // the room is gone from storage: nothing stale may be used
    CHECK(cache.latest("alpha") == nullptr);
    CHECK(latest->room.name == "two");  // a holder keeps its copy
}
