// The plugin's entry points: FIREPOKER_PLUGIN exports the ABI version, the manifest (with the
// build signature) and the factory, which turns any exception of the constructor into an error.
#include "file_storage.hpp"
#include "firepoker/sdk/export.hpp"

FIREPOKER_PLUGIN(fp::examples::files::FileStorage, fp::examples::files::manifest)
