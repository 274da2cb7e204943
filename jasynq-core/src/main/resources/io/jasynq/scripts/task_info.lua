-- Read one task for the Inspector's GetTaskInfo (asynq-compat spec 6.2).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- KEYS[2]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[3]  retry zset           asynq:{Q}:retry
-- ARGV[1]  task id
--
-- Returns  {} when the task hash does not exist; else {msg, state, result, score}, where score is
--          the due time of a scheduled or retry task (nil otherwise) and missing fields are nil.
if redis.call("EXISTS", KEYS[1]) == 0 then
  return {}
end
local fields = redis.call("HMGET", KEYS[1], "msg", "state", "result")
local score = false
if fields[2] == "scheduled" then
  score = redis.call("ZSCORE", KEYS[2], ARGV[1])
elseif fields[2] == "retry" then
  score = redis.call("ZSCORE", KEYS[3], ARGV[1])
end
return {fields[1], fields[2], fields[3], score}
