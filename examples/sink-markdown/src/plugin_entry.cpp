// The plugin's entry points: FIREPOKER_PLUGIN exports the ABI version, the manifest (with the
// build signature) and the factory, which turns any exception of the constructor into an error.
#include "firepoker/sdk/export.hpp"
#include "markdown_sink.hpp"

FIREPOKER_PLUGIN(fp::examples::markdown::MarkdownSink, fp::examples::markdown::manifest)
