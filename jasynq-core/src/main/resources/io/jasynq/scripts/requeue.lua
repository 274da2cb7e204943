-- Put a running task back at the tail of pending, so it runs next (wire-format §3.12; sets
-- pending_since as every other path to pending does, wire-format §9.9). No counter and no retry count
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
-- Uses take_off_active (lib_active.lua).
local id = ARGV[1]
local refused = take_off_active(id, KEYS[1], KEYS[2], KEYS[3], KEYS[4], "list")
if refused then
  return refused
end
if redis.call("RPUSH", KEYS[4], id) == 1 then
  redis.call("PUBLISH", "jasynq:pending", KEYS[4])
end
redis.call("HSET", KEYS[3], "state", "pending", "pending_since", ARGV[2])
return {1}
