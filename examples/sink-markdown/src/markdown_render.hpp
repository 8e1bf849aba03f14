// Turns one finalized result (the JSON the core sends to sinks) into a Markdown page.
// A pure function: no I/O, easy to test.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace fp::examples::markdown {

// Throws std::invalid_argument naming the missing or malformed field.
std::string renderResult(const Poco::JSON::Object& result);

// Text for a table cell or a heading: '|', '\', '*', '_', '`', '#', '<', '>', '[' and ']' are
// escaped, line breaks become spaces.
std::string escapeInline(const std::string& text);

}  // namespace fp::examples::markdown
