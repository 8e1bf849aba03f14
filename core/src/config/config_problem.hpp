// One thing wrong with a configuration: which file, which key, what is wrong.
#pragma once

#include <string>
#include <vector>

namespace fp::config {

struct ConfigProblem {
    std::string file;
    std::string key;  // dotted path, e.g. "sinks.0.options.path"; empty for the whole file
    std::string message;

    std::string describe() const {
        std::string text = file.empty() ? std::string("<defaults>") : file;
        if (!key.empty())
            text += ": " + key;
        return text + ": " + message;
    }
};

using ConfigProblems = std::vector<ConfigProblem>;

}  // namespace fp::config
