#include "firepoker/sdk/export.hpp"
#include "jsonl_sink.hpp"

namespace {
fp::sdk::Manifest sinkJsonlManifest() {
    fp::sdk::Manifest m;
    m.name = "sink-jsonl";
    m.version = "1.0.0";
    m.description = "Appends each finalized result as one JSON line to a local file (fsync'd)";
    fp::sdk::OptionSpec path;
    path.name = "path";
    path.type = fp::sdk::OptionType::string;
    path.defaultValue = "\"data/results.jsonl\"";
    path.description = "the file; relative paths resolve against the config file's folder";
    fp::sdk::OptionSpec fsync;
    fsync.name = "fsync";
    fsync.type = fp::sdk::OptionType::boolean;
    fsync.defaultValue = "true";
    fsync.description = "fsync after every line, so an acknowledged write survives a crash";
    m.options = {path, fsync};
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::plugins::jsonl::JsonlSink, sinkJsonlManifest)
