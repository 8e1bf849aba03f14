#include "request_head.hpp"

#include <cctype>

namespace fp::websocket {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

}  // namespace

RequestHeadSummary summarizeRequestHead(std::string_view head) {
    RequestHeadSummary summary;
    bool requestLineSeen = false;
    std::size_t start = 0;
    while (start < head.size()) {
        auto end = head.find('\n', start);
        if (end == std::string_view::npos)
            end = head.size();
        const auto line = trim(head.substr(start, end - start));
        start = end + 1;
        if (!requestLineSeen) {
            if (line.empty())
                continue;  // blank lines before the request line
            requestLineSeen = true;
            const auto firstSpace = line.find(' ');
            if (firstSpace == std::string_view::npos)
                return summary;
            summary.method = std::string(line.substr(0, firstSpace));
            auto target = trim(line.substr(firstSpace + 1));
            target = target.substr(0, target.find(' '));
            summary.path = std::string(target.substr(0, target.find('?')));
            continue;
        }
        if (line.empty())
            break;  // the end of the head
        const auto colon = line.find(':');
        if (colon == std::string_view::npos ||
            !equalsIgnoringCase(line.substr(0, colon), "X-Forwarded-For"))
            continue;
        const auto value = trim(line.substr(colon + 1));
        if (!summary.forwardedFor.empty())
            summary.forwardedFor += ", ";
        summary.forwardedFor.append(value);
    }
    return summary;
}

}  // namespace fp::websocket
