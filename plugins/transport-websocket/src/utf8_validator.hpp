// Incremental UTF-8 validation (RFC 3629, Unicode table 3-7) for text messages that arrive
// in pieces: a code point may be split across reads and across continuation frames.
#pragma once

#include <string_view>

namespace fp::websocket {

class Utf8Validator {
  public:
    // Returns false as soon as the bytes seen so far cannot be valid UTF-8 (overlong forms,
    // surrogates, code points above U+10FFFF, stray continuation bytes). Fails fast so a
    // bad message is refused before the rest of it arrives.
    bool feed(std::string_view bytes);
    // True when everything fed so far is valid and no code point is left unfinished.
    bool complete() const { return !failed_ && pending_ == 0; }
    bool failed() const { return failed_; }
    void reset();

  private:
    int pending_ = 0;               // continuation bytes still expected
    unsigned char nextLow_ = 0x80;  // allowed range of the next continuation byte
    unsigned char nextHigh_ = 0xBF;
    bool failed_ = false;
};

// Whole-string convenience.
bool isValidUtf8(std::string_view text);

}  // namespace fp::websocket
