import { LuaScript } from "./luaScript.js";

/**
 * The Lua scripts of the Redis store. Each runs atomically, and each checks everything it
 * needs before its first write, so a refused call writes nothing. Arguments are validated in
 * TypeScript beforehand, because a script that fails midway does not roll back.
 */

/**
 * Settles one window. KEYS: lease, watermarks, delivered set, delivered-locations, densities.
 * ARGV: location, watermark ms ("" = leave it), keep-until ms, fenced ("1"/"0"), owner, fence,
 * lines per hour ("" = leave it), ids…
 * Returns 1 (committed) or 0 (fenced: the lease is gone, expired or held by a newer fence).
 * Ids are added with ZADD GT (an id already kept longer keeps its later expiry); the watermark
 * is set only when later than the stored one. Ids go first: were the watermark written alone,
 * a later re-read of the window could not tell what was already delivered.
 */
export const SETTLE_WINDOW = new LuaScript(
  "settleWindow",
  `
if ARGV[4] == '1' then
  local holder = redis.call('HMGET', KEYS[1], 'owner', 'fence')
  if holder[1] ~= ARGV[5] or holder[2] ~= ARGV[6] then return 0 end
end
local batch = {}
for i = 8, #ARGV do
  batch[#batch + 1] = ARGV[3]
  batch[#batch + 1] = ARGV[i]
  -- unpack() is limited by the Lua stack: add in chunks.
  if #batch >= 1000 then
    redis.call('ZADD', KEYS[3], 'GT', unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('ZADD', KEYS[3], 'GT', unpack(batch)) end
if #ARGV >= 8 then redis.call('SADD', KEYS[4], ARGV[1]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[7]) end
if ARGV[2] ~= '' then
  local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]))
  if current == nil or current < tonumber(ARGV[2]) then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
end
return 1
`,
);

/**
 * Takes or renews a lease. KEYS: lease, fence counter. ARGV: owner, ttl ms.
 * Returns the fence, or nil when another owner holds a live lease (the key exists only while
 * live: PX expiry). The same owner renews and keeps its fence; a new holder gets INCR's next.
 */
export const ACQUIRE_LEASE = new LuaScript(
  "acquireLease",
  `
local holder = redis.call('HMGET', KEYS[1], 'owner', 'fence')
if holder[1] == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(holder[2])
end
if holder[1] then return false end
local fence = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return fence
`,
);

/** Releases a lease only if (owner, fence) still hold it. KEYS: lease. ARGV: owner, fence. */
export const RELEASE_LEASE = new LuaScript(
  "releaseLease",
  `
local holder = redis.call('HMGET', KEYS[1], 'owner', 'fence')
if holder[1] == ARGV[1] and holder[2] == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`,
);

/**
 * Prunes one location's delivered set. KEYS: delivered set, delivered-locations. ARGV: location,
 * before ms. Drops the location from the index only when its set is gone, in the same step, so
 * a concurrent settlement of that location cannot be orphaned.
 */
export const PRUNE_DELIVERED = new LuaScript(
  "pruneDelivered",
  `
local removed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return removed
`,
);

/**
 * Removes a delivered entry. KEYS: in-flight, queue. ARGV: raw. Also looks in the queue: a
 * recovery may have moved it back there, and sending it again would be a duplicate.
 */
export const ACK_DEAD_LETTER = new LuaScript(
  "ackDeadLetter",
  `
local n = redis.call('LREM', KEYS[1], 1, ARGV[1])
if n == 0 then n = redis.call('LREM', KEYS[2], 1, ARGV[1]) end
return n
`,
);

/**
 * Replaces a claimed entry by its next form at the end of the queue or parked.
 * KEYS: in-flight, queue, destination, hubs. ARGV: raw, new raw, hub. Returns 0 and writes
 * nothing when the entry is gone (acked or purged meanwhile): pushing it would resurrect it.
 */
export const NACK_DEAD_LETTER = new LuaScript(
  "nackDeadLetter",
  `
local n = redis.call('LREM', KEYS[1], 1, ARGV[1])
if n == 0 then n = redis.call('LREM', KEYS[2], 1, ARGV[1]) end
if n == 0 then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[3])
return 1
`,
);

/** Moves one parked text back to the queue's tail, rewritten. KEYS: parked, queue. ARGV: raw, new text. */
export const UNPARK_DEAD_LETTER = new LuaScript(
  "unparkDeadLetter",
  `
local n = redis.call('LREM', KEYS[1], 1, ARGV[1])
if n > 0 then redis.call('RPUSH', KEYS[2], ARGV[2]) end
return n
`,
);

/** Parks an unreadable claimed text. KEYS: in-flight, parked. ARGV: raw, parked form. */
export const PARK_CORRUPT = new LuaScript(
  "parkCorrupt",
  `
local n = redis.call('LREM', KEYS[1], 1, ARGV[1])
if n > 0 then redis.call('RPUSH', KEYS[2], ARGV[2]) end
return n
`,
);

/**
 * Moves all in-flight entries back to the front of the queue, keeping their order (in-flight
 * is oldest-first, so its tail goes to the queue's head first). KEYS: in-flight, queue.
 */
export const RECOVER_IN_FLIGHT = new LuaScript(
  "recoverInFlight",
  `
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do moved = moved + 1 end
return moved
`,
);
