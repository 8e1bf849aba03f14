// The Markdown page of a result: fields in place, text escaped, anonymous votes handled.
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include "markdown_render.hpp"

namespace {
Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}
}  // namespace

TEST_CASE("a result renders as a page with its title, estimate and votes", "[render]") {
    auto page = fp::examples::markdown::renderResult(
        *parse(R"({"resultId":"r_1","roomId":"team","roomName":"Team","estimate":"5",)"
               R"("story":{"title":"Signup | login","ref":"FP-1","url":"https://t.example/FP-1"},)"
               R"("votes":[{"name":"Aiko","card":"5"},{"card":"8"}],"rounds":1,)"
               R"("finalizedAt":"2026-01-02T03:04:05.006Z"})"));
    CHECK(page.rfind("# Signup \\| login\n", 0) == 0);
    CHECK(page.find("- Estimate: **5**") != std::string::npos);
    CHECK(page.find("- Reference: FP-1") != std::string::npos);
    CHECK(page.find("| Aiko | 5 |") != std::string::npos);
    CHECK(page.find("| (anonymous) | 8 |") != std::string::npos);
    CHECK(page.find("- Result id: `r\\_1`") != std::string::npos);
}

TEST_CASE("a result without its required fields is refused with the field's name", "[render]") {
    CHECK_THROWS_WITH(fp::examples::markdown::renderResult(*parse(R"({"estimate":"5"})")),
                      Catch::Contains("resultId"));
    CHECK_THROWS_WITH(
        fp::examples::markdown::renderResult(*parse(R"({"resultId":"r","estimate":"5"})")),
        Catch::Contains("story"));
}

TEST_CASE("line breaks and Markdown syntax in text cannot break the page", "[render]") {
    using fp::examples::markdown::escapeInline;
    CHECK(escapeInline("a\nb") == "a b");
    CHECK(escapeInline("*x* [y](z) <b>") == "\\*x\\* \\[y\\](z) \\<b\\>");
}
