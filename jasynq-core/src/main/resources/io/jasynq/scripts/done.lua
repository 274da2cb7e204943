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
-- Returns  1 done; error "NOT FOUND" when the task is not active (missing from active or lease,
--          or no hash). Every check runs before the first write: a refused call writes nothing.
-- The lock is released only while it still names this task.
local MAX_INT64 = "9223372036854775807"
local id = ARGV[1]
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
redis.call("DEL", KEYS[3])
if redis.call("INCR", KEYS[4]) == 1 then
  redis.call("EXPIREAT", KEYS[4], ARGV[2])
end
if redis.call("GET", KEYS[5]) == MAX_INT64 then
  redis.call("SET", KEYS[5], 1)
else
  redis.call("INCR", KEYS[5])
end
if #KEYS == 6 and redis.call("GET", KEYS[6]) == id then
  redis.call("DEL", KEYS[6])
end
return 1
