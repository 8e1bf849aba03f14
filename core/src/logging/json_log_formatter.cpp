#include "logging/json_log_formatter.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

namespace fp::logging {

void appendJsonEscaped(spdlog::memory_buf_t& dest, spdlog::string_view_t text) {
    static const char* hex = "0123456789abcdef";
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                dest.append(std::string_view("\\\""));
                break;
            case '\\':
                dest.append(std::string_view("\\\\"));
                break;
            case '\n':
                dest.append(std::string_view("\\n"));
                break;
            case '\r':
                dest.append(std::string_view("\\r"));
                break;
            case '\t':
                dest.append(std::string_view("\\t"));
                break;
            default:
                if (c < 0x20) {
                    const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    dest.append(esc, esc + sizeof(esc));
                } else {
                    dest.push_back(ch);
                }
        }
    }
}

namespace {
// `{"time":"...","level":"...","logger":"...","msg":"` with the logger name escaped.
void appendEnvelopeStart(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    fmt::format_to(std::back_inserter(dest),
                   "{{\"time\":\"{:%Y-%m-%dT%H:%M:%S}.{:03}Z\",\"level\":\"", utc,
                   ms.count() % 1000);
    auto level = spdlog::level::to_string_view(msg.level);
    dest.append(level.data(), level.data() + level.size());
    dest.append(std::string_view("\",\"logger\":\""));
    appendJsonEscaped(dest, msg.logger_name);
    dest.append(std::string_view("\",\"msg\":\""));
}

// The value of a leading "event" member: `{"event":"result.committed",...}` gives
// "result.committed"; empty when the object does not start that way.
std::string_view leadingEvent(std::string_view object) {
    constexpr std::string_view prefix = "{\"event\":\"";
    if (object.substr(0, prefix.size()) != prefix)
        return {};
    const auto end = object.find('"', prefix.size());
    if (end == std::string_view::npos)
        return {};
    return object.substr(prefix.size(), end - prefix.size());
}
}  // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    appendEnvelopeStart(msg, dest);
    appendJsonEscaped(dest, msg.payload);
    dest.append(std::string_view("\"}\n"));
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
    return std::make_unique<JsonLogFormatter>();
}

void JsonObjectLogFormatter::format(const spdlog::details::log_msg& msg,
                                    spdlog::memory_buf_t& dest) {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const std::string_view event = leadingEvent(payload);
    if (event.empty() || payload.back() != '}') {
        JsonLogFormatter().format(msg, dest);
        return;
    }
    appendEnvelopeStart(msg, dest);
    appendJsonEscaped(dest, spdlog::string_view_t(event.data(), event.size()));
    dest.push_back('"');
    // The object's members after the envelope's: `,"event":...}` (payload without its '{').
    dest.push_back(',');
    dest.append(payload.data() + 1, payload.data() + payload.size());
    dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonObjectLogFormatter::clone() const {
    return std::make_unique<JsonObjectLogFormatter>();
}

}  // namespace fp::logging
