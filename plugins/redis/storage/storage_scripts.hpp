// The Lua scripts of storage-redis. Each runs atomically in Redis and touches only keys of
// one hash slot, all named in KEYS (Redis Cluster's rule): a room's ({room:ID}), the outbox
// index's ({outbox}) or presence's ({presence}). docs/redis.md describes their keys and
// arguments.
#pragma once

#include <vector>

#include "lua_script.hpp"

namespace fp::plugins::redis::scripts {

// Room: compare-and-swap of a room document + its outbox records + PUBLISH of the new state.
const LuaScript& commit();
// Outbox index: mark a room as having something due; rooms due now; settle a room after a
// claim (new score, or out of the index) unless it was marked meanwhile.
const LuaScript& markRoom();
const LuaScript& dueRooms();
const LuaScript& settleRoom();
// Room outbox: claim due records; ack; release (reschedule); fail; list failed; requeue.
const LuaScript& claimRoom();
const LuaScript& ack();
const LuaScript& release();
const LuaScript& fail();
const LuaScript& listFailedRoom();
const LuaScript& requeue();
// Outbox index of rooms holding failed records: mark; drop a room found empty.
const LuaScript& markFailedRoom();
const LuaScript& settleFailedRoom();
// Presence: refresh one instance's heartbeat; list live instances.
const LuaScript& heartbeat();
const LuaScript& liveInstances();

// Every script above (the slot test checks each one's source and calls).
const std::vector<const LuaScript*>& all();

}  // namespace fp::plugins::redis::scripts
