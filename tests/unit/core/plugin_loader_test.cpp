#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "firepoker/sdk/abi.hpp"
#include "firepoker/sdk/sink.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_library.hpp"

using Catch::Matchers::Contains;
using fp::plugins::PluginCatalog;
using fp::plugins::PluginLibrary;

namespace {
std::string testPlugin(const std::string& name) {
    return std::string(FP_TEST_PLUGIN_DIR) + "/fire-poker-" + name + ".so";
}

fp::sdk::PluginContext contextWith(fp::sdk::PluginOptions options) {
    fp::sdk::PluginContext context;
    context.instanceName = "under-test";
    context.options = std::move(options);
    return context;
}
}  // namespace

TEST_CASE("a plugin with a wrong ABI version is refused, naming the file and both versions",
          "[loader]") {
    try {
        PluginLibrary::open(testPlugin("test-wrong-abi"));
        FAIL("the plugin was accepted");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Contains("fire-poker-test-wrong-abi.so"));
        CHECK_THAT(e.what(), Contains("ABI version 999"));
        CHECK_THAT(e.what(),
                   Contains("expects ABI version " + std::to_string(FIREPOKER_SDK_ABI_VERSION)));
    }
}

TEST_CASE("a plugin built with another toolchain is refused with both signatures", "[loader]") {
    try {
        PluginLibrary::open(testPlugin("test-wrong-signature"));
        FAIL("the plugin was accepted");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Contains("fire-poker-test-wrong-signature.so"));
        CHECK_THAT(e.what(), Contains("msvc-19"));
        CHECK_THAT(e.what(), Contains(fp::sdk::kBuildSignature));
    }
}

TEST_CASE("a missing plugin names every path searched", "[loader]") {
    PluginCatalog catalog({"/nowhere/a", "/nowhere/b"});
    try {
        catalog.open("storage-cassandra");
        FAIL("a missing plugin was found");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Contains("storage-cassandra"));
        CHECK_THAT(e.what(), Contains("/nowhere/a/fire-poker-storage-cassandra.so"));
        CHECK_THAT(e.what(), Contains("/nowhere/b/fire-poker-storage-cassandra.so"));
    }
}

TEST_CASE("a file that is not a shared library is refused with the loader's reason", "[loader]") {
    const auto dir = std::filesystem::temp_directory_path() / "fp-loader-test";
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "fire-poker-garbage.so");
        out << "not an ELF file";
    }
    PluginCatalog catalog({dir.string()});
    CHECK_THROWS_WITH(catalog.open("garbage"), Contains("cannot be loaded"));
    auto entries = catalog.listAll();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].library == nullptr);
    CHECK_THAT(entries[0].error, Contains("fire-poker-garbage.so"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("a plugin whose constructor throws is reported, not fatal", "[loader]") {
    auto library = PluginLibrary::open(testPlugin("test-throwing-sink"));
    CHECK(library->manifest().kind == fp::sdk::PluginKind::sink);
    CHECK_THROWS_WITH(library->create(contextWith({})),
                      Contains("the test sink refuses to start") && Contains("under-test"));
}

TEST_CASE("an object keeps its plugin's library loaded after every other handle is gone",
          "[loader]") {
    std::shared_ptr<fp::sdk::Plugin> plugin;
    {
        auto library = PluginLibrary::open(testPlugin("test-counting-sink"));
        plugin =
            library->create(contextWith(fp::sdk::PluginOptions({{"label", std::string("n")}})));
    }
    auto sink = std::static_pointer_cast<fp::sdk::Sink>(plugin);
    CHECK(sink->deliver("r_1", "{}").reason == "n:1");
    CHECK(sink->deliver("r_2", "{}").reason == "n:2");
}

TEST_CASE("the built plugins are found by name and carry their manifests", "[loader]") {
    PluginCatalog catalog({FP_BUILT_PLUGIN_DIR});
    auto storage = catalog.open("storage-memory");
    CHECK(storage->manifest().kind == fp::sdk::PluginKind::storage);
    CHECK(storage->manifest().abiVersion == fp::sdk::kAbiVersion);
    auto sink = catalog.open("sink-jsonl");
    REQUIRE(sink->manifest().options.size() == 2);
    CHECK(sink->manifest().options[0].name == "path");
    CHECK_THROWS_WITH(catalog.open("../etc/passwd"), Contains("not valid"));
}

TEST_CASE("a plugin's own option checks run without making an object", "[loader]") {
    auto counting = PluginLibrary::open(testPlugin("test-counting-sink"));
    auto withLabel = [](const std::string& label) {
        fp::sdk::PluginOptions options;
        options.set("label", label);
        return options;
    };
    CHECK(counting->checkOptions(withLabel("count")).empty());
    CHECK(counting->checkOptions(withLabel("")) ==
          std::vector<std::string>{"label: '' must have 1 to 8 characters"});
    CHECK(counting->checkOptions(withLabel("with many spaces")) ==
          std::vector<std::string>{"label: 'with many spaces' must have 1 to 8 characters",
                                   "label: 'with many spaces' must not contain spaces"});
    const auto threw = counting->checkOptions(withLabel("throw"));
    REQUIRE(threw.size() == 1);
    CHECK_THAT(threw[0], Contains("plugin test-counting-sink (") &&
                             Contains("threw while checking its options: checkOptions exploded"));
    // A plugin without checkOptions: nothing to check, every option set is fine.
    auto throwing = PluginLibrary::open(testPlugin("test-throwing-sink"));
    CHECK(throwing->checkOptions({}).empty());
}
