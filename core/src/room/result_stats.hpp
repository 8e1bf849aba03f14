// Statistics of a round (PROTOCOL.md "result").
#pragma once

#include <string>
#include <vector>

#include "room/room_model.hpp"

namespace fp::room {

// `cards`: every vote cast; `deck`: gives the order of min, max and the distribution (cards not
// in the deck, which the rules never produce, come after the deck's, in first-seen order).
Stats computeStats(const std::vector<std::string>& cards, const std::vector<std::string>& deck);

}  // namespace fp::room
