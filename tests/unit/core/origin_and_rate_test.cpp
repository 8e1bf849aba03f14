#include <catch2/catch.hpp>

#include "service/message_rate_limiter.hpp"
#include "service/origin_policy.hpp"

using fp::service::MessageRateLimiter;
using fp::service::OriginPolicy;

TEST_CASE("by default only pages of the same host may open a WebSocket", "[origin]") {
    OriginPolicy policy("");
    CHECK(policy.allows("http://localhost:8080", "localhost:8080"));
    CHECK(policy.allows("https://Poker.Example.com", "poker.example.com"));
    CHECK(policy.allows("https://poker.example.com", "poker.example.com:443"));
    CHECK_FALSE(policy.allows("https://evil.example", "poker.example.com"));
    CHECK_FALSE(policy.allows("http://localhost:9999", "localhost:8080"));
    CHECK_FALSE(policy.allows("null", "localhost:8080"));
    // No Origin: not a browser page, so no hijacking to prevent.
    CHECK(policy.allows("", "localhost:8080"));
}

TEST_CASE("a configured list allows exactly its origins; '*' allows any", "[origin]") {
    OriginPolicy list("https://poker.example.com, http://localhost:8080/");
    CHECK(list.allows("https://poker.example.com", "internal:8080"));
    CHECK(list.allows("http://localhost:8080", "internal:8080"));
    CHECK_FALSE(list.allows("https://poker.example.com.evil", "internal:8080"));
    CHECK_FALSE(list.allows("http://poker.example.com", "internal:8080"));
    CHECK(OriginPolicy("*").allows("https://anything.example", "x"));
}

TEST_CASE("the message rate admits a burst, limits after it, refills with time", "[rate]") {
    using namespace std::chrono_literals;
    const auto t0 = MessageRateLimiter::Clock::time_point{} + 1h;
    MessageRateLimiter limiter(10, 5, 3s, t0);
    for (int i = 0; i < 5; ++i)
        CHECK(limiter.admit(t0) == MessageRateLimiter::Verdict::admit);
    CHECK(limiter.admit(t0) == MessageRateLimiter::Verdict::limit);
    CHECK(limiter.admit(t0 + 100ms) == MessageRateLimiter::Verdict::admit);
    CHECK(limiter.admit(t0 + 100ms) == MessageRateLimiter::Verdict::limit);
}

TEST_CASE("a client that stays over its rate is closed; one that stops is forgiven", "[rate]") {
    using namespace std::chrono_literals;
    const auto t0 = MessageRateLimiter::Clock::time_point{} + 1h;
    MessageRateLimiter hammering(10, 5, 3s, t0);
    auto verdict = MessageRateLimiter::Verdict::admit;
    // 100 messages a second against a rate of 10: over the limit for good.
    for (int i = 0; i < 400 && verdict != MessageRateLimiter::Verdict::close; ++i) {
        verdict = hammering.admit(t0 + i * 10ms);
    }
    CHECK(verdict == MessageRateLimiter::Verdict::close);

    MessageRateLimiter burst(10, 5, 3s, t0);
    for (int i = 0; i < 500; ++i)
        burst.admit(t0);  // one flood, then quiet
    CHECK(burst.admit(t0 + 1s) == MessageRateLimiter::Verdict::admit);
    for (int i = 0; i < 50; ++i)
        CHECK(burst.admit(t0 + 4s + i * 200ms) == MessageRateLimiter::Verdict::admit);
}
