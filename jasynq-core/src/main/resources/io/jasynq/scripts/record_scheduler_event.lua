-- Record one periodic enqueue in an entry's history (wire-format §3.20,
-- RecordSchedulerEnqueueEvent): keep the newest 999, add the event, so at most 1000 remain.
--
-- KEYS[1]  history zset         asynq:scheduler_history:<entryID>
-- ARGV[1]  enqueue time, unix seconds (the score)
-- ARGV[2]  encoded SchedulerEnqueueEvent
-- ARGV[3]  TTL, whole seconds >= 1: unlike Asynq's, whose history keys never expire (wire-format §9.14),
--          the history of a scheduler that stopped beating without a clean shutdown goes away
--
-- Returns  1; error "BADKEY ..." (lib_keys.lua) when the history holds another type (nothing
--          written: the history is added to, never rewritten).
local bad = check_types(KEYS[1], "zset")
if bad then
  return bad
end
redis.call("ZREMRANGEBYRANK", KEYS[1], 0, -1000)
redis.call("ZADD", KEYS[1], ARGV[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return 1
