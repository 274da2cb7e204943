-- Schedule a task to run later (wire-format §3.4; 3.5 with a unique lock).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- KEYS[2]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[3]  group registry set   asynq:{Q}:groups
-- KEYS[4]  unique lock, optional asynq:{Q}:unique:<type>:<md5>
-- ARGV[1]  encoded TaskMessage
-- ARGV[2]  task id
-- ARGV[3]  process-at, unix seconds (the zset score)
-- ARGV[4]  group name, or "" for none. A grouped task scheduled for later keeps its group in the
--          hash field "group", so that the forwarder moves it into the group when it is due
--          (wire-format §9.2). The group is registered in asynq:{Q}:groups now, as wire-format §9.2 asks: a Go
--          forwarder moves the task into the group without registering it (wire-format §3.15), and an
--          unregistered group is never aggregated. Until the task is due the registered group is
--          empty, which Go Inspectors <= v0.26 may show as a memory estimate of -2^63 (wire-format §6.2).
-- ARGV[5]  unique lock TTL in whole seconds >= 1 (only with KEYS[4]); covers the wait too
--
-- Returns  1 scheduled; 0 task id conflict; -1 duplicate; error "BADKEY ..." (lib_keys.lua) when
--          the task key, scheduled, the group registry (for a grouped task) or the lock holds
--          another type. Nothing is written unless 1: every check runs before the first write.
-- Uses refuse_new_task and write_new_task (lib_new_task.lua).
local lock = KEYS[4]
local refused = check_types(KEYS[1], "hash", KEYS[2], "zset")
  or (ARGV[4] ~= "" and check_types(KEYS[3], "set"))
  or refuse_new_task(KEYS[1], lock)
if refused then
  return refused
end
write_new_task(KEYS[1], {"msg", ARGV[1], "state", "scheduled"}, lock, ARGV[2], ARGV[5])
if ARGV[4] ~= "" then
  redis.call("HSET", KEYS[1], "group", ARGV[4])
  redis.call("SADD", KEYS[3], ARGV[4])
end
redis.call("ZADD", KEYS[2], ARGV[3], ARGV[2])
return 1
