-- Read the numbers of one queue for the Inspector's QueueInfo (wire-format §6.2), in one
-- atomic step so the sizes agree with each other. Key types are checked first: a key of the
-- wrong type, or a counter that is not a number, counts 0 and is reported, never raises WRONGTYPE.
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
--          pending_since of the oldest pending task (nil when none or not set),
--          {problem, ...}}. Missing keys read as 0. A problem is a line naming a key and what is
--          wrong with it.
local problems = {}
local function kind(key)
  return redis.call("TYPE", key)["ok"]
end
local function wrong(key, t, want)
  problems[#problems + 1] = key .. " is a " .. t .. ", not a " .. want
end
local function size(key, want, command)
  local t = kind(key)
  if t == want then
    return redis.call(command, key)
  end
  if t ~= "none" then
    wrong(key, t, want)
  end
  return 0
end
local function count(key)
  local t = kind(key)
  if t == "none" then
    return 0
  end
  if t ~= "string" then
    wrong(key, t, "string")
    return 0
  end
  local value = redis.call("GET", key)
  local n = tonumber(value)
  if n == nil or n ~= n or n == math.huge or n == -math.huge then
    problems[#problems + 1] = key .. " holds \"" .. string.sub(value, 1, 40) .. "\", not a number"
    return 0
  end
  return n
end
local reply = {
  size(KEYS[1], "list", "LLEN"),
  size(KEYS[2], "list", "LLEN"),
  size(KEYS[3], "zset", "ZCARD"),
  size(KEYS[4], "zset", "ZCARD"),
  size(KEYS[5], "zset", "ZCARD"),
  size(KEYS[6], "zset", "ZCARD"),
  count(KEYS[7]),
  count(KEYS[8]),
  count(KEYS[9]),
  count(KEYS[10]),
  redis.call("EXISTS", KEYS[11])
}
local groups = {}
local registry = kind(KEYS[12])
if registry == "set" then
  groups = redis.call("SMEMBERS", KEYS[12])
elseif registry ~= "none" then
  wrong(KEYS[12], registry, "set")
end
local aggregating = 0
for _, group in ipairs(groups) do
  aggregating = aggregating + size(ARGV[2] .. group, "zset", "ZCARD")
end
reply[12] = #groups
reply[13] = aggregating
reply[14] = false
if kind(KEYS[1]) == "list" then
  local oldest = redis.call("LINDEX", KEYS[1], -1)
  if oldest and kind(ARGV[1] .. oldest) == "hash" then
    reply[14] = redis.call("HGET", ARGV[1] .. oldest, "pending_since")
  end
end
reply[15] = problems
return reply
