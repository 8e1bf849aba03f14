// The declared options of the core's own sections, in the same form as a plugin manifest,
// so one validator serves both.
#pragma once

#include <vector>

#include "firepoker/sdk/manifest.hpp"

namespace fp::config {

const std::vector<fp::sdk::OptionSpec>& serverSchema();
const std::vector<fp::sdk::OptionSpec>& logSchema();
const std::vector<fp::sdk::OptionSpec>& deliverySchema();
const std::vector<fp::sdk::OptionSpec>& telemetrySchema();

}  // namespace fp::config
