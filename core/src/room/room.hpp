// Everything of the room rules in one include.
#pragma once

#include "room/decks.hpp"
#include "room/history_export.hpp"
#include "room/public_state.hpp"
#include "room/result_stats.hpp"
#include "room/room_codec.hpp"
#include "room/room_model.hpp"
#include "room/room_rules.hpp"
#include "room/sink_record.hpp"
#include "room/text_validation.hpp"
#include "room/time_format.hpp"
