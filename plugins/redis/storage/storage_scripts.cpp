#include "storage_scripts.hpp"

// Redis's clock, in unix ms: every instance compares claim and heartbeat expiry against the
// same clock.
#define FP_REDIS_NOW                 \
    "local t = redis.call('TIME')\n" \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

namespace fp::plugins::redis::scripts {

// KEYS: doc, due, created, record hash per outbox record.
// ARGV: expected version, json, ttl ms (0 = none), channel ('' = do not publish), payload,
//       record count, then 7 values per record: id sink resultId payload notBeforeMs
//       createdAtMs attempts.
// Returns {1, new version} or {0, current version} (conflict: nothing written).
const LuaScript& commit() {
    static const LuaScript script("commit", R"lua(
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return {0, current}
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'json', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('PERSIST', KEYS[1])
end
local count = tonumber(ARGV[6])
for i = 0, count - 1 do
  local a = 7 + i * 7
  local id = ARGV[a]
  redis.call('HSET', KEYS[4 + i], 'id', id, 'sink', ARGV[a + 1], 'resultId', ARGV[a + 2],
             'payload', ARGV[a + 3], 'notBeforeMs', ARGV[a + 4], 'createdAtMs', ARGV[a + 5],
             'attempts', ARGV[a + 6], 'lastError', '')
  redis.call('ZADD', KEYS[2], ARGV[a + 4], id)
  redis.call('ZADD', KEYS[3], ARGV[a + 5], id)
end
if ARGV[4] ~= '' then
  redis.call('PUBLISH', ARGV[4], version .. '\n' .. ARGV[5])
end
return {1, version}
)lua");
    return script;
}

// KEYS: due, created. ARGV: record key prefix, max, visibility ms, consumer id.
// Returns one array per claimed record: id sink resultId payload attempts notBeforeMs
// createdAtMs lastError.
const LuaScript& claim() {
    static const LuaScript script("claim", FP_REDIS_NOW R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local claimedUntil = now + tonumber(ARGV[3])
local out = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', KEYS[1], claimedUntil, id)
    redis.call('HSET', key, 'claimedBy', ARGV[4], 'claimedUntilMs', claimedUntil)
    out[#out + 1] = redis.call('HMGET', key, 'id', 'sink', 'resultId', 'payload', 'attempts',
                               'notBeforeMs', 'createdAtMs', 'lastError')
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
)lua");
    return script;
}

// KEYS: due, created, record. ARGV: id.
const LuaScript& ack() {
    static const LuaScript script("ack", R"lua(
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1
)lua");
    return script;
}

// KEYS: due, record. ARGV: id, attempts, notBeforeMs, lastError.
// Returns 0 when the record is not pending (acked or failed meanwhile).
const LuaScript& release() {
    static const LuaScript script("release", R"lua(
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[2], 'attempts', ARGV[2], 'notBeforeMs', ARGV[3], 'lastError', ARGV[4],
           'claimedBy', '', 'claimedUntilMs', 0)
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
)lua");
    return script;
}

// KEYS: due, created, failed, record. ARGV: id sink resultId payload attempts notBeforeMs
// createdAtMs lastError. The whole record is written, so a record unknown here is kept too.
const LuaScript& fail() {
    static const LuaScript script("fail", FP_REDIS_NOW R"lua(
redis.call('HSET', KEYS[4], 'id', ARGV[1], 'sink', ARGV[2], 'resultId', ARGV[3],
           'payload', ARGV[4], 'attempts', ARGV[5], 'notBeforeMs', ARGV[6],
           'createdAtMs', ARGV[7], 'lastError', ARGV[8], 'claimedBy', '', 'claimedUntilMs', 0)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
return 1
)lua");
    return script;
}

// KEYS: failed. ARGV: record key prefix, max. Returns records as claim() does.
const LuaScript& listFailed() {
    static const LuaScript script("listFailed", R"lua(
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = redis.call('HMGET', ARGV[1] .. id, 'id', 'sink', 'resultId', 'payload',
                             'attempts', 'notBeforeMs', 'createdAtMs', 'lastError')
end
return out
)lua");
    return script;
}

// KEYS: failed, due, created, record. ARGV: id. Returns 0 when no such failed record.
const LuaScript& requeue() {
    static const LuaScript script("requeue", R"lua(
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[4], 'attempts', 0, 'notBeforeMs', 0)
local created = redis.call('HGET', KEYS[4], 'createdAtMs') or '0'
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZADD', KEYS[3], created, ARGV[1])
return 1
)lua");
    return script;
}

// KEYS: instances. ARGV: instance id, ttl ms. Long-dead entries (an hour) are dropped.
const LuaScript& heartbeat() {
    static const LuaScript script("heartbeat", FP_REDIS_NOW R"lua(
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000)
return 1
)lua");
    return script;
}

// KEYS: instances. Returns the ids whose heartbeat has not expired.
const LuaScript& liveInstances() {
    static const LuaScript script("liveInstances", FP_REDIS_NOW R"lua(
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
)lua");
    return script;
}

}  // namespace fp::plugins::redis::scripts
