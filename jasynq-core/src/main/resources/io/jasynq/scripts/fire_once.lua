-- Wraps one enqueue script (enqueue.lua, schedule.lua or add_to_group.lua, pasted over the marker
-- line in the function below when the script is loaded) so that a periodic tick is enqueued once
-- however many schedulers fire it: jasynq's fix for Asynq schedulers that each enqueue every tick.
--
-- KEYS[1..n-1]  the wrapped script's KEYS
-- KEYS[n]       fire record     asynq:{Q}:cron:<entry identity>   (same slot as the task)
-- ARGV[1..m-3]  the wrapped script's ARGV
-- ARGV[m-2]     the tick, unix seconds
-- ARGV[m-1]     the least gap in seconds between two enqueued ticks of this entry (1 for cron
--               specs; the delay for @every, whose ticks are not aligned across schedulers)
-- ARGV[m]       the fire record's TTL, whole seconds >= 1
--
-- Returns  -2 when the record holds a tick within the gap (another scheduler enqueued it; nothing
--          is written); error "BADKEY ..." (lib_keys.lua) when the record is not a string holding
--          a number (nothing is written: a broken record must not let every scheduler enqueue the
--          tick); otherwise what the wrapped script returns. The record is set to the tick only
--          when the wrapped script wrote the task (1), in the same atomic step.
local record = table.remove(KEYS)
local ttl = table.remove(ARGV)
local gap = tonumber(table.remove(ARGV))
local tick = table.remove(ARGV)
local record_bad = check_types(record, "string")
if record_bad then
  return record_bad
end
local last = redis.call("GET", record)
if last and not tonumber(last) then
  return badkey_reply(record, "string", "string holding a unix time")
end
if last and tonumber(tick) < tonumber(last) + gap then
  return -2
end
local outcome = (function()
--@enqueue@
end)()
if outcome == 1 then
  redis.call("SET", record, tick, "EX", ttl)
end
return outcome
