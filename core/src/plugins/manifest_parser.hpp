// Reads the JSON manifest a plugin exports back into an SDK Manifest.
#pragma once

#include <string>

#include "firepoker/sdk/manifest.hpp"

namespace fp::plugins {

// Throws std::runtime_error naming what is wrong.
fp::sdk::Manifest parseManifest(const std::string& json);

}  // namespace fp::plugins
