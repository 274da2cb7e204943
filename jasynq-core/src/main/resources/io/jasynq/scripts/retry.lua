-- Move a failed running task to the retry set (asynq-compat spec 3.13).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  retry zset           asynq:{Q}:retry
-- KEYS[5]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[6]  daily failed         asynq:{Q}:failed:<YYYY-MM-DD>
-- KEYS[7]  total processed      asynq:{Q}:processed
-- KEYS[8]  total failed         asynq:{Q}:failed
-- ARGV[1]  task id
-- ARGV[2]  encoded TaskMessage (error_msg, last_failed_at and, for a failure, retried updated)
-- ARGV[3]  retry-at, unix seconds (the retry score)
-- ARGV[4]  daily counter expiry, unix seconds (now + 90 days)
-- ARGV[5]  "1" if the error counts as a failure (counters move), "0" if not
--
-- Returns  1 scheduled for retry; error "NOT FOUND" when the task is not active. Every check runs
--          before the first write. A "group" field stays: the forwarder moves the task back into
--          its group when it is due.
local MAX_INT64 = "9223372036854775807"
local id = ARGV[1]
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
redis.call("ZADD", KEYS[4], ARGV[3], id)
redis.call("HSET", KEYS[3], "msg", ARGV[2], "state", "retry")
if ARGV[5] == "1" then
  for _, daily in ipairs({KEYS[5], KEYS[6]}) do
    if redis.call("INCR", daily) == 1 then
      redis.call("EXPIREAT", daily, ARGV[4])
    end
  end
  if redis.call("GET", KEYS[7]) == MAX_INT64 then
    redis.call("SET", KEYS[7], 1)
    redis.call("SET", KEYS[8], 1)
  else
    redis.call("INCR", KEYS[7])
    redis.call("INCR", KEYS[8])
  end
end
return 1
