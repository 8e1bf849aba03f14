#include "config/environment.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

extern char** environ;

namespace fp::config {

Environment processEnvironment() {
    Environment env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos)
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    return env;
}

std::string environmentName(const std::string& dottedPath) {
    std::string name = "FP_";
    for (char c : dottedPath) {
        auto u = static_cast<unsigned char>(c);
        name += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
    }
    return name;
}

std::optional<std::string> lookupSecret(const Environment& env, const std::string& name,
                                        std::string& error) {
    if (auto it = env.find(name); it != env.end())
        return it->second;
    auto fileIt = env.find(name + "_FILE");
    if (fileIt == env.end())
        return std::nullopt;
    std::ifstream in(fileIt->second, std::ios::binary);
    if (!in) {
        error = "cannot read the file named by " + name + "_FILE";
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string value = buffer.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
        value.pop_back();
    return value;
}

}  // namespace fp::config
