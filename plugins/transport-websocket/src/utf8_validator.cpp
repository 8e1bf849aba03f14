#include "utf8_validator.hpp"

namespace fp::websocket {

bool Utf8Validator::feed(std::string_view bytes) {
    if (failed_)
        return false;
    for (char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (pending_ == 0) {
            if (b < 0x80)
                continue;
            nextLow_ = 0x80;
            nextHigh_ = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                pending_ = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                pending_ = 2;
                if (b == 0xE0)
                    nextLow_ = 0xA0;  // overlong 3-byte forms
                if (b == 0xED)
                    nextHigh_ = 0x9F;  // UTF-16 surrogates U+D800..U+DFFF
            } else if (b >= 0xF0 && b <= 0xF4) {
                pending_ = 3;
                if (b == 0xF0)
                    nextLow_ = 0x90;  // overlong 4-byte forms
                if (b == 0xF4)
                    nextHigh_ = 0x8F;  // above U+10FFFF
            } else {
                failed_ = true;  // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
                return false;
            }
        } else {
            if (b < nextLow_ || b > nextHigh_) {
                failed_ = true;
                return false;
            }
            nextLow_ = 0x80;
            nextHigh_ = 0xBF;
            --pending_;
        }
    }
    return true;
}

void Utf8Validator::reset() {
    pending_ = 0;
    nextLow_ = 0x80;
    nextHigh_ = 0xBF;
    failed_ = false;
}

bool isValidUtf8(std::string_view text) {
    Utf8Validator validator;
    return validator.feed(text) && validator.complete();
}

}  // namespace fp::websocket
