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
-- Returns  1 completed; error "NOT FOUND" when the task is not active; error "INTERNAL ..." when
--          the ID is already in completed. Every check runs before the first write.
-- The "result" field of the hash is kept.
local MAX_INT64 = "9223372036854775807"
local id = ARGV[1]
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
if redis.call("INCR", KEYS[5]) == 1 then
  redis.call("EXPIREAT", KEYS[5], ARGV[2])
end
if redis.call("GET", KEYS[6]) == MAX_INT64 then
  redis.call("SET", KEYS[6], 1)
else
  redis.call("INCR", KEYS[6])
end
if #KEYS == 7 and redis.call("GET", KEYS[7]) == id then
  redis.call("DEL", KEYS[7])
end
return 1
