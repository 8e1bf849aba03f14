#include <catch2/catch.hpp>

#include "room/decks.hpp"
#include "room/result_stats.hpp"
#include "room_test_support.hpp"

namespace {
std::string statsText(const fp::room::Stats& stats) {
    std::string out;
    fp::room::json::Writer writer(out);
    fp::room::writeStats(writer, stats);
    return out;
}
}  // namespace

using namespace fp::room;

namespace {
std::vector<std::string> deck(const char* name) {
    return *findDeckPreset(name);
}
const std::string kHalf = "\xC2\xBD";
}  // namespace

TEST_CASE("deck presets are exactly as PROTOCOL.md lists them", "[decks]") {
    using V = std::vector<std::string>;
    CHECK(deck("fibonacci") ==
          V{"0", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89", "?", "coffee"});
    CHECK(deck("modified") ==
          V{"0", kHalf, "1", "2", "3", "5", "8", "13", "20", "40", "100", "?", "coffee"});
    CHECK(deck("tshirt") == V{"XS", "S", "M", "L", "XL", "XXL", "?"});
    CHECK(deck("powers") == V{"0", "1", "2", "4", "8", "16", "32", "64", "?"});
    CHECK_FALSE(findDeckPreset("custom"));
    CHECK(deckPresets().size() == 4);
}

TEST_CASE("card values", "[decks]") {
    CHECK(numericCardValue(kHalf) == 0.5);
    CHECK(numericCardValue("13") == 13.0);
    CHECK(numericCardValue("0.3") == 0.3);
    CHECK(numericCardValue("2,5") == 2.5);
    CHECK_FALSE(numericCardValue("?"));
    CHECK_FALSE(numericCardValue("coffee"));
    CHECK_FALSE(numericCardValue("XL"));
    CHECK_FALSE(numericCardValue("1."));
    CHECK_FALSE(numericCardValue("-1"));
    CHECK(isNonEstimate("?"));
    CHECK(isNonEstimate("coffee"));
    CHECK_FALSE(isNonEstimate("0"));
}

TEST_CASE("average and median over numeric cards, min and max by deck order", "[stats]") {
    const Stats s = computeStats({"8", "3", "5", "?", "coffee", "5"}, deck("fibonacci"));
    CHECK(s.votes == 6);
    CHECK(s.average == Approx(21.0 / 4));
    CHECK(s.median == 5.0);
    CHECK(s.min == "3");
    CHECK(s.max == "8");
    using D = std::vector<std::pair<std::string, int>>;
    CHECK(s.distribution == D{{"3", 1}, {"5", 2}, {"8", 1}, {"?", 1}, {"coffee", 1}});
    CHECK_FALSE(s.consensus);
    CHECK(s.agreement == 0.5);  // 2 of 4 estimate votes on 5
}

TEST_CASE("half counts as 0.5 and an even count's median is the mean of the middle two",
          "[stats]") {
    const Stats s = computeStats({kHalf, "1", "3", "8"}, deck("modified"));
    CHECK(s.average == Approx(12.5 / 4));
    CHECK(s.median == 2.0);
    CHECK(s.min == kHalf);
    CHECK(s.max == "8");
    const Stats two = computeStats({kHalf, "0"}, deck("modified"));
    CHECK(two.median == 0.25);
    CHECK(two.average == 0.25);
    CHECK(two.min == "0");
    CHECK(two.max == kHalf);
}

TEST_CASE("a t-shirt deck has no numbers but min, max and agreement", "[stats]") {
    const Stats s = computeStats({"XL", "S", "M", "S", "?"}, deck("tshirt"));
    CHECK_FALSE(s.average);
    CHECK_FALSE(s.median);
    CHECK(s.min == "S");
    CHECK(s.max == "XL");
    CHECK(s.agreement == 0.5);
    CHECK_FALSE(s.consensus);
    CHECK(s.votes == 5);
    auto json = statsText(s);
    CHECK_THAT(json, Catch::Contains(R"("average":null,"median":null,"min":"S","max":"XL")"));
}

TEST_CASE("all votes ? or coffee: no statistic, but the distribution shows them", "[stats]") {
    const Stats s = computeStats({"?", "?", "coffee"}, deck("fibonacci"));
    CHECK_FALSE(s.average);
    CHECK_FALSE(s.median);
    CHECK_FALSE(s.min);
    CHECK_FALSE(s.max);
    CHECK_FALSE(s.consensus);
    CHECK(s.agreement == 0.0);
    CHECK(s.votes == 3);
    REQUIRE(s.distribution.size() == 2);
    CHECK(s.distribution[0] == std::make_pair(std::string("?"), 2));
}

TEST_CASE("consensus: every estimate vote on the same card, ? and coffee aside", "[stats]") {
    const Stats s = computeStats({"5", "5", "?", "coffee", "5"}, deck("fibonacci"));
    CHECK(s.consensus);
    CHECK(s.agreement == 1.0);
    CHECK(s.votes == 5);
    const Stats one = computeStats({"13"}, deck("fibonacci"));
    CHECK(one.consensus);
    const Stats none = computeStats({}, deck("fibonacci"));
    CHECK(none.votes == 0);
    CHECK_FALSE(none.consensus);
    CHECK(none.distribution.empty());
    const Stats third = computeStats({"1", "2", "3"}, deck("fibonacci"));
    CHECK(third.agreement == Approx(1.0 / 3));
}

TEST_CASE("stats JSON has exactly the fields of PROTOCOL.md", "[stats]") {
    const Stats s = computeStats({"3", "5"}, deck("fibonacci"));
    CHECK(statsText(s) ==
          R"({"average":4,"median":4,"min":"3","max":"5","distribution":{"3":1,"5":1},)"
          R"("consensus":false,"agreement":0.5,"votes":2})");
}
