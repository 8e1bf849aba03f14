#include "firepoker/sdk/export.hpp"
#include "firepoker/sdk/option_builders.hpp"
#include "jsonl_sink.hpp"

namespace {
fp::sdk::Manifest sinkJsonlManifest() {
    fp::sdk::Manifest m;
    m.name = "sink-jsonl";
    m.version = "1.0.0";
    m.description = "Appends each finalized result as one JSON line to a local file (fsync'd)";
    m.options = {
        fp::sdk::option::string(
            "path", "data/results.jsonl",
            "the file; relative paths resolve against the config file's folder"),
        fp::sdk::option::boolean(
            "fsync", true, "fsync after every line, so an acknowledged write survives a crash"),
    };
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::plugins::jsonl::JsonlSink, sinkJsonlManifest)
