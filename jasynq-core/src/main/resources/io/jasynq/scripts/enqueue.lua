-- Enqueue a task for immediate processing (wire-format §3.2; 3.3 with a unique lock).
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
-- Uses refuse_new_task and write_new_task (lib_new_task.lua).
local lock = KEYS[3]
local refused = check_types(KEYS[1], "hash", KEYS[2], "list") or refuse_new_task(KEYS[1], lock)
if refused then
  return refused
end
write_new_task(KEYS[1], {"msg", ARGV[1], "state", "pending", "pending_since", ARGV[3]}, lock,
  ARGV[2], ARGV[4])
if redis.call("LPUSH", KEYS[2], ARGV[2]) == 1 then
  redis.call("PUBLISH", "jasynq:pending", KEYS[2])
end
return 1
