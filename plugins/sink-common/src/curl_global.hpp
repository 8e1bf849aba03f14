// libcurl's global state, held by every object that uses curl: the first holder initialises
// it, the last one cleans it up, so a plugin that is unloaded leaves nothing behind.
#pragma once

#include <string>

namespace fp::sinks {

class CurlGlobal {
  public:
    CurlGlobal();  // throws std::runtime_error when libcurl cannot be initialised
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

}  // namespace fp::sinks
