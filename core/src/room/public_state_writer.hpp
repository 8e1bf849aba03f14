// The RoomState of PROTOCOL.md written straight to JSON text, for the hot path: the same
// bytes as json::stringify(renderPublicState(room)) (a unit test holds them equal), without
// the Poco::JSON object tree. renderPublicState stays for the routes that add to the tree.
#pragma once

#include <string>

#include "room/json_writer.hpp"
#include "room/room_model.hpp"

namespace fp::room {

void writePublicState(json::Writer& out, const Room& room);
// As statsToJson.
void writeStats(json::Writer& out, const Stats& stats);
// As encodeStory.
void writeStory(json::Writer& out, const Story& story);

}  // namespace fp::room
