#include "firepoker/sdk/export.hpp"
#include "notion_settings.hpp"
#include "notion_sink.hpp"

namespace {
fp::sdk::Manifest sinkNotionManifest() {
    fp::sdk::Manifest m;
    m.name = "sink-notion";
    m.version = "1.0.0";
    m.description =
        "Writes each finalized result as one row of a Notion database (exactly once by its "
        "Result ID) and reads a room's history back from it";
    m.options = fp::notion::notionOptions();
    return m;
}
}  // namespace

FIREPOKER_PLUGIN(fp::notion::NotionSink, sinkNotionManifest)
