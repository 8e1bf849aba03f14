// A spdlog formatter that writes one JSON object per line, with the message escaped.
#pragma once

#include <spdlog/formatter.h>

namespace fp::logging {

class JsonLogFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

void appendJsonEscaped(spdlog::memory_buf_t& dest, spdlog::string_view_t text);

}  // namespace fp::logging
