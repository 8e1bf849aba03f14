#include "storage_scripts.hpp"

// Redis's clock, in unix ms: every instance compares claim and heartbeat expiry against the
// same clock.
#define FP_REDIS_NOW                 \
    "local t = redis.call('TIME')\n" \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

// A room's outbox records live in one hash (KEYS named `rec` below), one field per record
// and attribute: "<attribute>:<record id>". One hash rather than a key per record, so a
// script that finds its record ids inside Redis (claim, list) still declares every key it
// touches in KEYS.
#define FP_RECORD_FIELDS                                                              \
    "local READ = {'id', 'sink', 'resultId', 'payload', 'attempts', 'notBeforeMs',\n" \
    "              'createdAtMs', 'lastError'}\n"                                     \
    "local ALL = {'id', 'sink', 'resultId', 'payload', 'attempts', 'notBeforeMs',\n"  \
    "             'createdAtMs', 'lastError', 'claimedBy', 'claimedUntilMs'}\n"       \
    "local function names(list, id)\n"                                                \
    "  local out = {}\n"                                                              \
    "  for i, attribute in ipairs(list) do out[i] = attribute .. ':' .. id end\n"     \
    "  return out\n"                                                                  \
    "end\n"                                                                           \
    "local function readRecord(index, id)\n"                                          \
    "  return redis.call('HMGET', KEYS[index], unpack(names(READ, id)))\n"            \
    "end\n"

namespace fp::plugins::redis::scripts {

// Room slot. KEYS: doc, due, created, rec.
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
  redis.call('HSET', KEYS[4], 'id:' .. id, id, 'sink:' .. id, ARGV[a + 1],
             'resultId:' .. id, ARGV[a + 2], 'payload:' .. id, ARGV[a + 3],
             'notBeforeMs:' .. id, ARGV[a + 4], 'createdAtMs:' .. id, ARGV[a + 5],
             'attempts:' .. id, ARGV[a + 6], 'lastError:' .. id, '', 'claimedBy:' .. id, '',
             'claimedUntilMs:' .. id, 0)
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

// Index slot. KEYS: rooms, marks, markSeq. ARGV: room, unix ms when it has something due.
// Lowers the room's score to that time (never raises it) and gives the room a new mark, so
// a claimer that read the room before this cannot move it later or drop it (see settle).
const LuaScript& markRoom() {
    static const LuaScript script("markRoom", R"lua(
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(current) > tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
redis.call('HSET', KEYS[2], ARGV[1], redis.call('INCR', KEYS[3]))
return 1
)lua");
    return script;
}

// Index slot. KEYS: rooms, marks. ARGV: max rooms.
// Returns room, mark, room, mark... for rooms whose score has come (oldest first).
const LuaScript& dueRooms() {
    static const LuaScript script("dueRooms", FP_REDIS_NOW R"lua(
local rooms = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, room in ipairs(rooms) do
  out[#out + 1] = room
  out[#out + 1] = redis.call('HGET', KEYS[2], room) or '0'
end
return out
)lua");
    return script;
}

// Room slot. KEYS: due, created, rec. ARGV: max, visibility ms, consumer id.
// Due records (score <= now), at most max: score := now + visibility, claimedBy set; ids
// whose record is gone are dropped. Returns {next, record, record...}: next is the room's
// lowest remaining score ('' when nothing is pending), each record as readRecord gives it
// (id sink resultId payload attempts notBeforeMs createdAtMs lastError).
const LuaScript& claimRoom() {
    static const LuaScript script("claimRoom", FP_REDIS_NOW FP_RECORD_FIELDS R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local claimedUntil = now + tonumber(ARGV[2])
local out = {''}
for _, id in ipairs(ids) do
  if redis.call('HEXISTS', KEYS[3], 'id:' .. id) == 1 then
    redis.call('ZADD', KEYS[1], claimedUntil, id)
    redis.call('HSET', KEYS[3], 'claimedBy:' .. id, ARGV[3], 'claimedUntilMs:' .. id,
               claimedUntil)
    out[#out + 1] = readRecord(3, id)
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[2] then
  out[1] = first[2]
end
return out
)lua");
    return script;
}

// Index slot. KEYS: rooms, marks. ARGV: room, mark read by dueRooms, next ('' = nothing
// pending). Only if nobody marked the room since: score := next, or the room leaves the
// index. Returns 1 when applied, 0 when the room was marked meanwhile (it stays due).
const LuaScript& settleRoom() {
    static const LuaScript script("settleRoom", R"lua(
if (redis.call('HGET', KEYS[2], ARGV[1]) or '0') ~= ARGV[2] then
  return 0
end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return 1
)lua");
    return script;
}

// Room slot. KEYS: due, created, rec. ARGV: id.
const LuaScript& ack() {
    static const LuaScript script("ack", FP_RECORD_FIELDS R"lua(
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], unpack(names(ALL, ARGV[1])))
return 1
)lua");
    return script;
}

// Room slot. KEYS: due, rec. ARGV: id, attempts, notBeforeMs, lastError.
// Returns 0 when the record is not pending (acked or failed meanwhile).
const LuaScript& release() {
    static const LuaScript script("release", R"lua(
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
local id = ARGV[1]
redis.call('HSET', KEYS[2], 'attempts:' .. id, ARGV[2], 'notBeforeMs:' .. id, ARGV[3],
           'lastError:' .. id, ARGV[4], 'claimedBy:' .. id, '', 'claimedUntilMs:' .. id, 0)
redis.call('ZADD', KEYS[1], ARGV[3], id)
return 1
)lua");
    return script;
}

// Room slot. KEYS: due, created, failed, rec. ARGV: id sink resultId payload attempts
// notBeforeMs createdAtMs lastError. The whole record is written, so a record unknown here
// is kept too.
const LuaScript& fail() {
    static const LuaScript script("fail", FP_REDIS_NOW R"lua(
local id = ARGV[1]
redis.call('HSET', KEYS[4], 'id:' .. id, id, 'sink:' .. id, ARGV[2], 'resultId:' .. id, ARGV[3],
           'payload:' .. id, ARGV[4], 'attempts:' .. id, ARGV[5], 'notBeforeMs:' .. id, ARGV[6],
           'createdAtMs:' .. id, ARGV[7], 'lastError:' .. id, ARGV[8], 'claimedBy:' .. id, '',
           'claimedUntilMs:' .. id, 0)
redis.call('ZREM', KEYS[1], id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZADD', KEYS[3], now, id)
return 1
)lua");
    return script;
}

// Index slot. KEYS: failedRooms, markSeq. ARGV: room. The room's score becomes a new mark.
const LuaScript& markFailedRoom() {
    static const LuaScript script("markFailedRoom", R"lua(
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
return 1
)lua");
    return script;
}

// Index slot. KEYS: failedRooms. ARGV: room, score (mark) read before it was found empty.
// The room leaves the index only if nobody marked it since.
const LuaScript& settleFailedRoom() {
    static const LuaScript script("settleFailedRoom", R"lua(
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
)lua");
    return script;
}

// Room slot. KEYS: failed, rec. ARGV: max. Returns records as claimRoom does (no `next`).
const LuaScript& listFailedRoom() {
    static const LuaScript script("listFailedRoom", FP_RECORD_FIELDS R"lua(
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = readRecord(2, id)
end
return out
)lua");
    return script;
}

// Room slot. KEYS: failed, due, created, rec. ARGV: id. Returns 0 when no such failed record.
const LuaScript& requeue() {
    static const LuaScript script("requeue", R"lua(
local id = ARGV[1]
if redis.call('ZREM', KEYS[1], id) == 0 then
  return 0
end
redis.call('HSET', KEYS[4], 'attempts:' .. id, 0, 'notBeforeMs:' .. id, 0)
local created = redis.call('HGET', KEYS[4], 'createdAtMs:' .. id) or '0'
redis.call('ZADD', KEYS[2], 0, id)
redis.call('ZADD', KEYS[3], created, id)
return 1
)lua");
    return script;
}

// Presence slot. KEYS: instances. ARGV: instance id, ttl ms. Long-dead entries (an hour)
// are dropped.
const LuaScript& heartbeat() {
    static const LuaScript script("heartbeat", FP_REDIS_NOW R"lua(
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000)
return 1
)lua");
    return script;
}

// Presence slot. KEYS: instances. Returns the ids whose heartbeat has not expired.
const LuaScript& liveInstances() {
    static const LuaScript script("liveInstances", FP_REDIS_NOW R"lua(
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
)lua");
    return script;
}

const std::vector<const LuaScript*>& all() {
    static const std::vector<const LuaScript*> list = {
        &commit(),           &markRoom(),       &dueRooms(),
        &claimRoom(),        &settleRoom(),     &ack(),
        &release(),          &fail(),           &markFailedRoom(),
        &settleFailedRoom(), &listFailedRoom(), &requeue(),
        &heartbeat(),        &liveInstances()};
    return list;
}

}  // namespace fp::plugins::redis::scripts
