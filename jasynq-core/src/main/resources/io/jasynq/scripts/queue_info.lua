-- Read the numbers of one queue for the Inspector's QueueInfo (asynq-compat spec 6.2), in one
-- atomic step so the sizes agree with each other.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  active list          asynq:{Q}:active
-- KEYS[3]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[4]  retry zset           asynq:{Q}:retry
-- KEYS[5]  archived zset        asynq:{Q}:archived
-- KEYS[6]  completed zset       asynq:{Q}:completed
-- KEYS[7]  today's processed    asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[8]  today's failed       asynq:{Q}:failed:<YYYY-MM-DD>
-- KEYS[9]  total processed      asynq:{Q}:processed
-- KEYS[10] total failed         asynq:{Q}:failed
-- KEYS[11] pause flag           asynq:{Q}:paused
-- KEYS[12] group registry set   asynq:{Q}:groups
-- ARGV[1]  task-hash prefix     asynq:{Q}:t:
-- ARGV[2]  group-key prefix     asynq:{Q}:g:
--
-- Returns  {pending, active, scheduled, retry, archived, completed, processed today, failed
--          today, processed total, failed total, paused (0/1), group count, aggregating,
--          pending_since of the oldest pending task (nil when none or not set)}.
--          Missing counters read as 0.
local function count(key)
  return tonumber(redis.call("GET", key) or "0") or 0
end
local reply = {
  redis.call("LLEN", KEYS[1]),
  redis.call("LLEN", KEYS[2]),
  redis.call("ZCARD", KEYS[3]),
  redis.call("ZCARD", KEYS[4]),
  redis.call("ZCARD", KEYS[5]),
  redis.call("ZCARD", KEYS[6]),
  count(KEYS[7]),
  count(KEYS[8]),
  count(KEYS[9]),
  count(KEYS[10]),
  redis.call("EXISTS", KEYS[11])
}
local groups = redis.call("SMEMBERS", KEYS[12])
local aggregating = 0
for _, group in ipairs(groups) do
  aggregating = aggregating + redis.call("ZCARD", ARGV[2] .. group)
end
reply[12] = #groups
reply[13] = aggregating
local oldest = redis.call("LINDEX", KEYS[1], -1)
if oldest then
  reply[14] = redis.call("HGET", ARGV[1] .. oldest, "pending_since")
end
return reply
