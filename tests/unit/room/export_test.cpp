#include "room_test_support.hpp"

using namespace fp::room;
using fp::room::test::RoomHarness;

TEST_CASE("CSV fields follow RFC 4180", "[export]") {
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("two\r\nlines") == "\"two\r\nlines\"");
    CHECK(csvField("") == "");
    CHECK(csvField("=SUM(A1)") == "'=SUM(A1)");  // not run as a formula by a spreadsheet
    CHECK(csvField("@x,y") == "\"'@x,y\"");
}

TEST_CASE("Markdown cells escape | and \\", "[export]") {
    CHECK(markdownCell("a | b") == "a \\| b");
    CHECK(markdownCell("back\\slash") == "back\\\\slash");
    CHECK(markdownCell("x\\|y") == "x\\\\\\|y");
    CHECK(markdownCell("line\nbreak") == "line break");
}

namespace {
Room finalizedRoom() {
    RoomHarness h;
    const std::string aiko = h.join("Aiko");
    const std::string ben = h.join("Ben");
    h.ok(h.send(aiko, "story", R"({"title":"Login, \"v2\" | api","ref":"FP-1"})"));
    h.vote(aiko, "3");
    h.vote(ben, "5");
    h.ok(h.send(aiko, "reveal"));
    h.ok(h.send(aiko, "finalize", R"({"estimate":"5"})"));
    h.ok(h.send(aiko, "story", R"({"title":"Second"})"));
    h.vote(aiko, "?");
    h.ok(h.send(aiko, "reveal"));
    h.context.nowMs += 60000;
    h.ok(h.send(aiko, "finalize", R"({"estimate":"later"})"));
    return h.room;
}
}  // namespace

TEST_CASE("history as CSV", "[export]") {
    const std::string csv = renderHistoryCsv(finalizedRoom());
    const std::string header =
        "finalizedAt,resultId,title,ref,url,estimate,rounds,votes,average,median,min,max,"
        "consensus,agreement,cards\r\n";
    REQUIRE(csv.rfind(header, 0) == 0);
    CHECK_THAT(csv, Catch::Contains("2026-11-28T09:00:00.000Z,r_"));
    CHECK_THAT(csv, Catch::Contains(",\"Login, \"\"v2\"\" | api\",FP-1,,5,1,2,4,4,3,5,false,0.5,"
                                    "Aiko: 3; Ben: 5\r\n"));
    CHECK_THAT(csv, Catch::Contains(",Second,,,later,1,1,,,,,false,0,Aiko: ?\r\n"));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
}

TEST_CASE("history as Markdown", "[export]") {
    const std::string md = renderHistoryMarkdown(finalizedRoom());
    CHECK(md.rfind("| Finalized | Story |", 0) == 0);
    CHECK_THAT(md, Catch::Contains("| Login, \"v2\" \\| api | FP-1 | 5 | 1 | 2 | 4 | 4 | no | "
                                   "50% | Aiko: 3; Ben: 5 |"));
    CHECK_THAT(md, Catch::Contains("| 2026-11-28T09:01:00.000Z | Second |  | later |"));
    CHECK(std::count(md.begin(), md.end(), '\n') == 4);
}

TEST_CASE("history as JSON, oldest first", "[export]") {
    auto results = fp::room::test::parse(renderHistoryJson(finalizedRoom()))->getArray("results");
    REQUIRE(results->size() == 2);
    CHECK(results->getObject(0)->getValue<std::string>("estimate") == "5");
    CHECK(results->getObject(1)->getValue<std::string>("estimate") == "later");
    CHECK(results->getObject(1)->getValue<std::string>("finalizedAt") ==
          "2026-11-28T09:01:00.000Z");
}

TEST_CASE("sink records read back into the history", "[export][sink]") {
    const Room source = finalizedRoom();
    std::vector<HistoryEntry> entries;
    for (auto it = source.history.rbegin(); it != source.history.rend(); ++it) {
        entries.push_back(decodeSinkRecord(renderSinkRecord(source, *it)));
    }
    Room fresh = newRoom(source.id, 0);
    CHECK(restoreHistory(fresh, entries));
    CHECK(fresh.history == source.history);
    CHECK_FALSE(restoreHistory(fresh, entries));  // already there
    CHECK_THROWS_WITH(decodeSinkRecord("{\"resultId\":\"r\"}"), Catch::Contains("story"));
}
