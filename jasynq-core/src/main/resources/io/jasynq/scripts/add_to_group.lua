-- Add a task to a group, where it waits to be aggregated (wire-format §3.6; 3.7 unique).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- KEYS[2]  group zset           asynq:{Q}:g:<group>
-- KEYS[3]  group registry set   asynq:{Q}:groups
-- KEYS[4]  unique lock, optional asynq:{Q}:unique:<type>:<md5>
-- ARGV[1]  encoded TaskMessage
-- ARGV[2]  task id
-- ARGV[3]  now, unix seconds (the zset score)
-- ARGV[4]  group name
-- ARGV[5]  unique lock TTL in whole seconds >= 1 (only with KEYS[4])
--
-- Unlike Asynq, a unique grouped task records "unique_key" in its hash, so deleting it releases
-- its lock (wire-format §9.5); Go readers treat the field the same way for every state.
-- Returns  1 added; 0 task id conflict; -1 duplicate; error "BADKEY ..." (lib_keys.lua) when the
--          task key, the group, the registry or the lock holds another type. Nothing is written
--          unless 1: every check runs before the first write.
-- Uses refuse_new_task and write_new_task (lib_new_task.lua).
local lock = KEYS[4]
local refused = check_types(KEYS[1], "hash", KEYS[2], "zset", KEYS[3], "set")
  or refuse_new_task(KEYS[1], lock)
if refused then
  return refused
end
write_new_task(KEYS[1], {"msg", ARGV[1], "state", "aggregating", "group", ARGV[4]}, lock,
  ARGV[2], ARGV[5])
redis.call("ZADD", KEYS[2], ARGV[3], ARGV[2])
redis.call("SADD", KEYS[3], ARGV[4])
return 1
