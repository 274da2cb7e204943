-- Finish a task that succeeded and keeps no result: it leaves Redis (asynq-compat spec 3.10;
-- also the outcome of a revoked task, 4.6).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[5]  total processed      asynq:{Q}:processed
-- KEYS[6]  unique lock, optional (msg.unique_key; never passed empty: slot of "")
-- ARGV[1]  task id
-- ARGV[2]  daily counter expiry, unix seconds (now + 90 days)
--
-- Returns  {1, skipped keys...} done; error "NOT FOUND" when the task is not active (missing from
--          active or lease, or no hash); error "BADKEY ..." (lib_keys.lua) when active, lease or
--          the task hash holds another type. Every check runs before the first write: a refused
--          call writes nothing. A counter Redis cannot increment (wrong type, not an integer, or
--          at its limit) and a lock that is not a string are left as they are and named after the
--          1: the task still finishes.
-- The lock is released only while it still names this task.
local id = ARGV[1]
local bad = check_types(KEYS[1], "list", KEYS[2], "zset", KEYS[3], "hash")
if bad then
  return bad
end
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
redis.call("DEL", KEYS[3])
local skipped = {}
count(KEYS[4], 1, ARGV[2], skipped)
count_totals(1, skipped, KEYS[5])
if #KEYS == 6 then
  release_lock(KEYS[6], id, skipped)
end
return {1, unpack(skipped)}
