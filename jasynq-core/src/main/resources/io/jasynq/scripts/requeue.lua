-- Put a running task back at the tail of pending, so it runs next (asynq-compat spec 3.12; sets
-- pending_since as every other path to pending does, spec 9.9). No counter and no retry count
-- changes.
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  pending list         asynq:{Q}:pending
-- ARGV[1]  task id
-- ARGV[2]  now, unix nanoseconds (pending_since)
--
-- Returns  {1} requeued; error "NOT FOUND" when the task is not active; error "BADKEY ..."
--          (lib_keys.lua) when active, lease, the task hash or pending holds another type. Every
--          check runs before the first write.
--
-- When the push makes the pending list non-empty, the pending key is published on channel
-- "jasynq:pending" so idle jasynq servers wake at once instead of at their next poll. Go Asynq
-- ignores the channel; Go producers do not publish, and servers still poll for their tasks.
local id = ARGV[1]
local bad = check_types(KEYS[1], "list", KEYS[2], "zset", KEYS[3], "hash", KEYS[4], "list")
if bad then
  return bad
end
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
if redis.call("RPUSH", KEYS[4], id) == 1 then
  redis.call("PUBLISH", "jasynq:pending", KEYS[4])
end
redis.call("HSET", KEYS[3], "state", "pending", "pending_since", ARGV[2])
return {1}
