#include <catch2/catch.hpp>

#include "service/resume_tokens.hpp"

using fp::service::ResumeTokenAuthority;

TEST_CASE("resume tokens verify only for their room and participant", "[tokens]") {
    ResumeTokenAuthority authority("a-secret-of-at-least-16");
    const auto token = authority.issue("alpha", "p_1");
    CHECK(token.size() >= 16);
    CHECK(authority.verify("alpha", "p_1", token));
    CHECK_FALSE(authority.verify("beta", "p_1", token));
    CHECK_FALSE(authority.verify("alpha", "p_2", token));
    CHECK_FALSE(authority.verify("alpha", "p_1", token + "x"));
    CHECK_FALSE(authority.verify("alpha", "p_1", ""));
    CHECK_FALSE(authority.verify("alpha", "p_1", "no-dot-here"));
}

TEST_CASE("another secret cannot verify, and tokens are random", "[tokens]") {
    ResumeTokenAuthority first("a-secret-of-at-least-16");
    ResumeTokenAuthority second("another-secret-of-16+");
    const auto token = first.issue("alpha", "p_1");
    CHECK_FALSE(second.verify("alpha", "p_1", token));
    CHECK(first.issue("alpha", "p_1") != token);
    // Seats survive a restart: a new authority with the same secret still verifies.
    CHECK(ResumeTokenAuthority("a-secret-of-at-least-16").verify("alpha", "p_1", token));
}

TEST_CASE("stored hashes are sha256 hex", "[tokens]") {
    CHECK(ResumeTokenAuthority::hash("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
