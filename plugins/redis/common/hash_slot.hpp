// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its hash tag (the
// text between the first '{' and the next '}', when not empty), modulo 16384. Used to check
// that every script keeps to one slot, and to route a command to the node owning its slot.
#pragma once

#include <cstdint>
#include <string_view>

namespace fp::plugins::redis {

constexpr int kHashSlots = 16384;

// CRC16-CCITT, polynomial 0x1021, initial value 0, as Redis computes it (crc16.c).
std::uint16_t crc16(std::string_view bytes);

// The part of `key` that decides its slot: the hash tag if there is a non-empty one.
std::string_view hashTagOf(std::string_view key);

int hashSlot(std::string_view key);

}  // namespace fp::plugins::redis
