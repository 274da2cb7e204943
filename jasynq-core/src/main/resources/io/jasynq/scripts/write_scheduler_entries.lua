-- Rewrite one scheduler's entries (wire-format §3.20, WriteSchedulerEntries step 2). The
-- registry ZADD on asynq:schedulers is a separate command: that key is in another slot.
--
-- KEYS[1]  entries list         asynq:schedulers:{<schedulerID>}
-- ARGV[1]  TTL, whole seconds >= 1
-- ARGV[2], ARGV[3], ...  encoded SchedulerEntry messages
--
-- Returns  1. LPUSH leaves the list in reverse order, as Asynq's; with no entry the key is absent.
-- The key belongs to this one scheduler (its ID is in the name) and is rewritten whole at every
-- beat, so whatever it holds, whatever its type, is replaced: a damaged record heals at the next
-- beat. No other key is written.
redis.call("DEL", KEYS[1])
for i = 2, #ARGV do
  redis.call("LPUSH", KEYS[1], ARGV[i])
end
if #ARGV > 1 then
  redis.call("EXPIRE", KEYS[1], ARGV[1])
end
return 1
