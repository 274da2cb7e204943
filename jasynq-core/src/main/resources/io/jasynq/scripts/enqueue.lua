-- Enqueue a task for immediate processing (asynq-compat spec 3.2; 3.3 with a unique lock).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- KEYS[2]  pending list         asynq:{Q}:pending
-- KEYS[3]  unique lock, optional asynq:{Q}:unique:<type>:<md5>   (never passed empty: slot of "")
-- ARGV[1]  encoded TaskMessage
-- ARGV[2]  task id
-- ARGV[3]  now, unix nanoseconds (pending_since)
-- ARGV[4]  unique lock TTL in whole seconds >= 1 (only with KEYS[3])
--
-- Returns  1 enqueued; 0 task id conflict; -1 duplicate (the unique lock is held); error "BADKEY
--          ..." (lib_keys.lua) when the task key, pending or the lock holds another type.
-- Every precondition is checked before the first write: a rejected enqueue writes nothing.
--
-- When the push makes the pending list non-empty, the pending key is published on channel
-- "jasynq:pending" so idle jasynq servers wake at once instead of at their next poll. Go Asynq
-- ignores the channel; Go producers do not publish, and servers still poll for their tasks.
local unique = #KEYS == 3
local bad = check_types(KEYS[1], "hash", KEYS[2], "list")
  or (unique and check_types(KEYS[3], "string"))
if bad then
  return bad
end
if unique and redis.call("EXISTS", KEYS[3]) == 1 then
  return -1
end
if redis.call("EXISTS", KEYS[1]) == 1 then
  return 0
end
if unique then
  redis.call("SET", KEYS[3], ARGV[2], "EX", ARGV[4])
  redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "pending", "pending_since", ARGV[3],
    "unique_key", KEYS[3])
else
  redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "pending", "pending_since", ARGV[3])
end
if redis.call("LPUSH", KEYS[2], ARGV[2]) == 1 then
  redis.call("PUBLISH", "jasynq:pending", KEYS[2])
end
return 1
