-- Finish a task that succeeded and is kept for its retention (asynq-compat spec 3.11).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  completed zset       asynq:{Q}:completed
-- KEYS[5]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[6]  total processed      asynq:{Q}:processed
-- KEYS[7]  unique lock, optional (msg.unique_key; never passed empty)
-- ARGV[1]  task id
-- ARGV[2]  daily counter expiry, unix seconds (now + 90 days)
-- ARGV[3]  retention end, unix seconds (completed_at + retention; the completed score)
-- ARGV[4]  encoded TaskMessage with completed_at set
--
-- Returns  {1, skipped keys...} completed; error "NOT FOUND" when the task is not active; error
--          "INTERNAL ..." when the ID is already in completed; error "BADKEY ..." (lib_keys.lua)
--          when active, lease, the task hash or completed holds another type. Every check runs
--          before the first write. A counter Redis cannot increment (wrong type, not an integer,
--          or at its limit) and a lock that is not a string are left as they are and named after
--          the 1: the task still completes.
-- The "result" field of the hash is kept.
local id = ARGV[1]
local bad = check_types(KEYS[1], "list", KEYS[2], "zset", KEYS[3], "hash", KEYS[4], "zset")
if bad then
  return bad
end
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
if redis.call("ZSCORE", KEYS[4], id) then
  return redis.error_reply("INTERNAL task is already in the completed set")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
redis.call("ZADD", KEYS[4], ARGV[3], id)
redis.call("HSET", KEYS[3], "msg", ARGV[4], "state", "completed")
local skipped = {}
count(KEYS[5], 1, ARGV[2], skipped)
count_totals(1, skipped, KEYS[6])
if #KEYS == 7 then
  release_lock(KEYS[7], id, skipped)
end
return {1, unpack(skipped)}
