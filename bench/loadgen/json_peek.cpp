#include "json_peek.hpp"

#include <string>

namespace fp::bench {

std::optional<std::string_view> peekField(std::string_view json, std::string_view key,
                                          std::size_t from) {
    std::string quoted;
    quoted.reserve(key.size() + 2);
    quoted.push_back('"');
    quoted.append(key);
    quoted.push_back('"');
    std::size_t at = json.find(quoted, from);
    while (at != std::string_view::npos) {
        std::size_t i = at + quoted.size();
        while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\t'))
            ++i;
        if (i < json.size() && json[i] == ':') {
            ++i;
            while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\t'))
                ++i;
            if (i >= json.size())
                return std::nullopt;
            if (json[i] == '"') {
                const std::size_t end = json.find('"', i + 1);
                if (end == std::string_view::npos)
                    return std::nullopt;
                return json.substr(i + 1, end - i - 1);
            }
            std::size_t end = i;
            while (end < json.size() && json[end] != ',' && json[end] != '}' && json[end] != ']' &&
                   json[end] != ' ')
                ++end;
            return json.substr(i, end - i);
        }
        at = json.find(quoted, at + 1);  // the key text was a value, not a key
    }
    return std::nullopt;
}

std::optional<std::size_t> findTopLevelValue(std::string_view json, std::string_view key) {
    int depth = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '"') {
            const std::size_t start = i + 1;
            for (++i; i < json.size() && json[i] != '"'; ++i) {
                if (json[i] == '\\')
                    ++i;
            }
            if (i >= json.size())
                return std::nullopt;
            if (depth != 1)
                continue;
            std::size_t next = i + 1;
            while (next < json.size() && (json[next] == ' ' || json[next] == '\n'))
                ++next;
            if (next >= json.size() || json[next] != ':')
                continue;
            if (json.substr(start, i - start) != key)
                continue;
            ++next;
            while (next < json.size() && (json[next] == ' ' || json[next] == '\n'))
                ++next;
            return next;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> valueAt(std::string_view json, std::size_t at) {
    if (at >= json.size())
        return std::nullopt;
    if (json[at] == '"') {
        const std::size_t end = json.find('"', at + 1);
        if (end == std::string_view::npos)
            return std::nullopt;
        return json.substr(at + 1, end - at - 1);
    }
    std::size_t end = at;
    while (end < json.size() && json[end] != ',' && json[end] != '}' && json[end] != ']' &&
           json[end] != ' ')
        ++end;
    return json.substr(at, end - at);
}

std::optional<std::uint64_t> peekUnsigned(std::string_view json, std::string_view key,
                                          std::size_t from) {
    auto text = peekField(json, key, from);
    if (!text || text->empty())
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : *text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

}  // namespace fp::bench
