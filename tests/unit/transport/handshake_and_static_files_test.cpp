#include <catch2/catch.hpp>

#include <filesystem>

#include "handshake.hpp"
#include "static_files.hpp"
#include "transport_options.hpp"
#include "transport_test_support.hpp"

using namespace fp::websocket;

TEST_CASE("handshake: Sec-WebSocket-Accept matches RFC 6455's example", "[handshake]") {
    CHECK(computeAcceptKey("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("handshake: request checks", "[handshake]") {
    UpgradeRequestHeaders good{"GET", "websocket", "keep-alive, Upgrade", "13",
                               "dGhlIHNhbXBsZSBub25jZQ=="};
    CHECK(checkUpgradeRequest(good).ok);

    auto bad = good;
    bad.method = "POST";
    CHECK(checkUpgradeRequest(bad).status == 405);
    bad = good;
    bad.connection = "keep-alive";
    CHECK(checkUpgradeRequest(bad).status == 426);
    bad = good;
    bad.version = "8";
    CHECK(checkUpgradeRequest(bad).status == 426);
    bad = good;
    bad.key = "short";
    CHECK(checkUpgradeRequest(bad).status == 400);
    CHECK(headerHasToken("Keep-Alive , UPGRADE", "upgrade"));
    CHECK_FALSE(headerHasToken("upgraded", "upgrade"));
}

TEST_CASE("options: manifest declares every option with its default", "[options]") {
    const auto specs = transportOptionSpecs();
    std::map<std::string, std::string> defaults;
    for (const auto& spec : specs) {
        CHECK(spec.type == (spec.name == "trustedProxies" ? fp::sdk::OptionType::string
                                                          : fp::sdk::OptionType::integer));
        CHECK_FALSE(spec.description.empty());
        defaults[spec.name] = spec.defaultValue.value_or("");
    }
    CHECK(defaults == std::map<std::string, std::string>{{"maxMessageBytes", "16384"},
                                                         {"maxQueuedBytes", "1048576"},
                                                         {"pingIntervalSeconds", "30"},
                                                         {"idleTimeoutSeconds", "75"},
                                                         {"ioThreads", "1"},
                                                         {"maxHttpThreads", "16"},
                                                         {"handshakeTimeoutSeconds", "10"},
                                                         {"backlog", "4096"},
                                                         {"maxPendingHandshakes", "4096"},
                                                         {"maxConnectionsPerAddress", "256"},
                                                         {"trustedProxies", "\"\""}});
    fp::sdk::PluginOptions options;
    options.set("ioThreads", std::int64_t{2});
    options.set("maxMessageBytes", std::int64_t{4096});
    const auto read = readTransportOptions(options);
    CHECK(read.ioThreads == 2);
    CHECK(read.maxMessageBytes == 4096);
    CHECK(read.idleTimeoutSeconds == 75);  // default when absent
    options.set("ioThreads", std::int64_t{3});
    CHECK_THROWS_WITH(readTransportOptions(options), Catch::Contains("ioThreads"));
}

TEST_CASE("static files: path mapping stays inside the web root", "[static]") {
    testing::TempDir root;
    root.write("index.html", "<html></html>");
    root.write("js/app.js", "console.log(1)");
    testing::TempDir outside;
    outside.write("secret.txt", "secret");
    std::filesystem::create_symlink(std::filesystem::path(outside.path()) / "secret.txt",
                                    std::filesystem::path(root.path()) / "leak.txt");

    const auto index = resolveStaticFile(root.path(), "/");
    REQUIRE(index);
    CHECK(index->path.filename() == "index.html");
    CHECK(resolveStaticFile(root.path(), "/r/team-alpha")->path.filename() == "index.html");
    CHECK(resolveStaticFile(root.path(), "/js/app.js")->size == 14);
    CHECK_FALSE(resolveStaticFile(root.path(), "/missing.js"));
    CHECK_FALSE(resolveStaticFile(root.path(), "/js"));  // a directory
    CHECK_FALSE(resolveStaticFile(
        root.path(),
        "/../" + std::filesystem::path(outside.path()).filename().string() + "/secret.txt"));
    CHECK_FALSE(resolveStaticFile(root.path(), "/js/../index.html"));
    CHECK_FALSE(resolveStaticFile(root.path(), "/leak.txt"));  // symlink out of the root
    CHECK_FALSE(resolveStaticFile(root.path(), "//etc/passwd"));
    CHECK_FALSE(resolveStaticFile(root.path(), "/..\\secret.txt"));

    CHECK(contentTypeFor("a.js") == "text/javascript; charset=utf-8");
    CHECK(contentTypeFor("a.webmanifest") == "application/manifest+json");
    CHECK(contentTypeFor("a.SVG") == "image/svg+xml");
    CHECK(cacheControlFor("index.html") == "no-cache");
    CHECK(cacheControlFor("app.css").find("max-age=") != std::string::npos);
}

TEST_CASE("static files: validators", "[static]") {
    StaticFile file;
    file.size = 100;
    file.mtimeSeconds = 1700000000;  // Tue, 14 Nov 2023 22:13:20 GMT
    const std::string tag = entityTagFor(file);
    CHECK(isNotModified(file, tag, ""));
    CHECK(isNotModified(file, "\"other\", " + tag, ""));
    CHECK(isNotModified(file, "W/" + tag, ""));
    CHECK_FALSE(isNotModified(file, "\"other\"", "Tue, 14 Nov 2023 22:13:20 GMT"));
    CHECK(isNotModified(file, "", "Tue, 14 Nov 2023 22:13:20 GMT"));
    CHECK_FALSE(isNotModified(file, "", "Tue, 14 Nov 2023 22:13:19 GMT"));
    file.size = 101;
    CHECK_FALSE(isNotModified(file, tag, ""));
}
