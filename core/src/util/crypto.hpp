// Randomness and hashes for ids and resume tokens.
#pragma once

#include <cstddef>
#include <string>

namespace fp::util {

// Bytes from the kernel's cryptographic source (getrandom); throws on failure.
std::string randomBytes(std::size_t count);
std::string randomHex(std::size_t byteCount);
std::string base64UrlEncode(const std::string& bytes);  // no padding
std::string sha256Hex(const std::string& data);
std::string hmacSha256(const std::string& key, const std::string& data);  // raw bytes
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace fp::util
