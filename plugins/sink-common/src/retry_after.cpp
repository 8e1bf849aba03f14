#include "retry_after.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace fp::sinks {

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now,
                                                         std::chrono::milliseconds cap) {
    std::string text = value;
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               text.end());
    if (text.empty())
        return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(text[0])) != 0) {
        char* end = nullptr;
        const double seconds = std::strtod(text.c_str(), &end);
        if (end == nullptr || *end != '\0' || !std::isfinite(seconds) || seconds < 0)
            return std::nullopt;
        const double ms = std::ceil(std::min(seconds * 1000.0, static_cast<double>(cap.count())));
        return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
    // An HTTP-date (IMF-fixdate): "Fri, 15 Jan 2027 08:00:05 GMT". Poco's parser is lenient,
    // so the shape is checked first.
    if (value.find(',') == std::string::npos || value.find("GMT") == std::string::npos)
        return std::nullopt;
    try {
        int tzd = 0;
        Poco::DateTime when =
            Poco::DateTimeParser::parse(Poco::DateTimeFormat::HTTP_FORMAT, value, tzd);
        when.makeUTC(tzd);
        const auto target = std::chrono::system_clock::time_point(
            std::chrono::microseconds(when.timestamp().epochMicroseconds()));
        auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(target - now);
        return std::clamp(delay, std::chrono::milliseconds(0), cap);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace fp::sinks
