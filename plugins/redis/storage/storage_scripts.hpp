// The Lua scripts of storage-redis. Each runs atomically in Redis; docs/redis.md describes
// their keys and arguments.
#pragma once

#include "lua_script.hpp"

namespace fp::plugins::redis::scripts {

// Compare-and-swap of a room document + its outbox records + PUBLISH of the new state.
const LuaScript& commit();
// Outbox: claim due records; ack; release (reschedule); fail; list failed; requeue.
const LuaScript& claim();
const LuaScript& ack();
const LuaScript& release();
const LuaScript& fail();
const LuaScript& listFailed();
const LuaScript& requeue();
// Presence: refresh one instance's heartbeat; list live instances.
const LuaScript& heartbeat();
const LuaScript& liveInstances();

}  // namespace fp::plugins::redis::scripts
