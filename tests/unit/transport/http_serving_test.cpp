// HTTP through the real transport: static files, validators, traversal, core routes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "transport_test_support.hpp"

using namespace fp::websocket::testing;

namespace {

struct WebFixture {
    TempDir root;
    TempDir outside;
    std::unique_ptr<RunningTransport> server;

    WebFixture() {
        root.write("index.html", "<!doctype html><title>Fire Poker</title>");
        root.write("js/app.js", "export const answer = 42;");
        root.write("manifest.webmanifest", "{}");
        outside.write("secret.txt", "TOP SECRET");
        std::filesystem::create_symlink(std::filesystem::path(outside.path()) / "secret.txt",
                                        std::filesystem::path(root.path()) / "leak.txt");
        server =
            std::make_unique<RunningTransport>(std::map<std::string, std::int64_t>{}, root.path());
    }
    std::uint16_t port() const { return server->port(); }
    // The outside folder's name, to aim traversal attempts at it.
    std::string outsideName() const {
        return std::filesystem::path(outside.path()).filename().string();
    }
};

}  // namespace

TEST_CASE("http: index.html at / and /r/<room>, with validators and no-cache", "[http]") {
    WebFixture web;
    for (const char* target : {"/", "/r/team-alpha", "/r/team-alpha?x=1"}) {
        INFO(target);
        const auto reply = httpGet(web.port(), target);
        CHECK(reply.status == 200);
        CHECK(reply.body == "<!doctype html><title>Fire Poker</title>");
        CHECK(reply.header("Content-Type") == "text/html; charset=utf-8");
        CHECK(reply.header("Cache-Control") == "no-cache");
        CHECK(reply.header("ETag").size() > 2);
        CHECK(reply.header("Last-Modified").find("GMT") != std::string::npos);
    }
}

TEST_CASE("http: assets with their content type, a short max-age, HEAD without body", "[http]") {
    WebFixture web;
    auto reply = httpGet(web.port(), "/js/app.js");
    CHECK(reply.status == 200);
    CHECK(reply.body == "export const answer = 42;");
    CHECK(reply.header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(reply.header("Cache-Control") == "public, max-age=300");
    CHECK(httpGet(web.port(), "/manifest.webmanifest").header("Content-Type") ==
          "application/manifest+json");

    reply = httpGet(web.port(), "/js/app.js", {}, "HEAD");
    CHECK(reply.status == 200);
    CHECK(reply.body.empty());
    CHECK(reply.header("Content-Length") == "25");
    CHECK(reply.header("ETag") == httpGet(web.port(), "/js/app.js").header("ETag"));
}

TEST_CASE("http: 304 for a matching ETag or an unchanged If-Modified-Since", "[http]") {
    WebFixture web;
    const auto first = httpGet(web.port(), "/js/app.js");
    REQUIRE(first.status == 200);
    const std::string tag = first.header("ETag");

    auto reply = httpGet(web.port(), "/js/app.js", "If-None-Match: " + tag + "\r\n");
    CHECK(reply.status == 304);
    CHECK(reply.body.empty());
    CHECK(reply.header("ETag") == tag);

    reply = httpGet(web.port(), "/js/app.js",
                    "If-Modified-Since: " + first.header("Last-Modified") + "\r\n");
    CHECK(reply.status == 304);

    reply = httpGet(web.port(), "/js/app.js", "If-None-Match: \"stale\"\r\n");
    CHECK(reply.status == 200);
    CHECK(reply.body == "export const answer = 42;");
}

TEST_CASE("http: path traversal and symlinks out of the root are refused", "[http]") {
    WebFixture web;
    const std::string name = web.outsideName();
    for (const std::string& target :
         {"/../" + name + "/secret.txt", "/%2e%2e/" + name + "/secret.txt",
          "/js/%2E%2E/%2e%2e/" + name + "/secret.txt", "/..%2f" + name + "%2fsecret.txt",
          "/js/..%5c..%5c" + name + "%5csecret.txt", std::string("/leak.txt"),
          std::string("/%2fetc%2fpasswd"), std::string("/nope.js")}) {
        INFO(target);
        const auto reply = httpGet(web.port(), target);
        CHECK((reply.status == 404 || reply.status == 400));
        CHECK(reply.body.find("SECRET") == std::string::npos);
        CHECK(reply.body.find("root:") == std::string::npos);
    }
}

TEST_CASE("http: other methods on static files get 405", "[http]") {
    WebFixture web;
    const auto reply = httpExchange(web.port(),
                                    "POST /js/app.js HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                    "Connection: close\r\n\r\n");
    CHECK(reply.status == 405);
    CHECK(reply.header("Allow") == "GET, HEAD");
}

TEST_CASE("http: core routes are forwarded to the host", "[http]") {
    WebFixture web;
    const auto reply = httpExchange(
        web.port(),
        "POST /api/rooms/team%20a/history?format=csv HTTP/1.1\r\nHost: x\r\n"
        "X-Custom-Header: Value\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    CHECK(reply.status == 201);
    CHECK(reply.header("Content-Type") == "application/json");
    CHECK(reply.header("X-Core") == "yes");
    CHECK(reply.body == "{\"path\":\"/api/rooms/team a/history\",\"body\":\"hello\"}");

    const auto requests = web.server->host().httpRequests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].path == "/api/rooms/team a/history");
    CHECK(requests[0].query == "format=csv");
    CHECK(requests[0].headers.at("x-custom-header") == "Value");
    CHECK(requests[0].body == "hello");
    CHECK(requests[0].remoteAddress.rfind("127.0.0.1:", 0) == 0);

    CHECK(httpGet(web.port(), "/healthz").status == 201);
    CHECK(web.server->host().httpRequests().size() == 2);
}

TEST_CASE("http: /ws without an upgrade is refused with 426", "[http]") {
    WebFixture web;
    const auto reply = httpGet(web.port(), "/ws");
    CHECK(reply.status == 426);
    CHECK(reply.header("Sec-WebSocket-Version") == "13");
    CHECK(web.server->host().openedIds().empty());
}
