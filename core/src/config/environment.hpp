// The process environment as a map, so config resolution can be tested without setenv.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace fp::config {

using Environment = std::map<std::string, std::string>;

Environment processEnvironment();

// "FP_" + the key path upper-cased, non-alphanumerics as '_': {"server","graceSeconds"} ->
// FP_SERVER_GRACESECONDS; {"sinks","0","options","path"} -> FP_SINKS_0_OPTIONS_PATH.
std::string environmentName(const std::string& dottedPath);

// The value of NAME, or the contents of the file named by NAME_FILE (trailing newline cut).
std::optional<std::string> lookupSecret(const Environment& env, const std::string& name,
                                        std::string& error);

}  // namespace fp::config
