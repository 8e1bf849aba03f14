// Pieces of the Prometheus text exposition format, shared by the core's and plugins' metrics.
#pragma once

#include <string>

namespace fp::metrics {

// A sample value: shortest round-trip-ish text, "NaN", "+Inf", "-Inf".
std::string prometheusNumber(double value);
// A label value with backslash, quote and newline escaped.
std::string prometheusLabelValue(const std::string& value);
// "# HELP name help" (backslash and newline escaped) and "# TYPE name type".
void prometheusHeader(std::string& out, const std::string& name, const char* type,
                      const std::string& help);

}  // namespace fp::metrics
