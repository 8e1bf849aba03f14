// spdlog formatters that write one JSON object per line: the message escaped as `msg`, or, for
// a logger whose every message is itself one JSON object, its members in the envelope.
#pragma once

#include <spdlog/formatter.h>

namespace fp::logging {

class JsonLogFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

// For loggers whose messages are each one JSON object starting with an "event" member (the
// result log): `{"time":...,"level":...,"logger":...,"msg":"<event>",<the object's members>}`,
// so a JSON log pipeline sees the fields as structured JSON, not as an escaped string. A
// message that is not such an object is written as JsonLogFormatter would.
class JsonObjectLogFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

void appendJsonEscaped(spdlog::memory_buf_t& dest, spdlog::string_view_t text);

}  // namespace fp::logging
