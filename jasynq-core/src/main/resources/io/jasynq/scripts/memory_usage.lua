-- Estimate the memory one queue's tasks use, by sampling, as Go Asynq's Inspector does
-- (wire-format §6.2 MemoryUsage, HEAD's variant: sampled IDs without a hash add nothing but
-- still count in the divisor, and groups without sampled members add nothing). A list, set or
-- group of the wrong type is left out of the estimate (QueueInfo reports it), never raises
-- WRONGTYPE.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  active list          asynq:{Q}:active
-- KEYS[3]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[4]  retry zset           asynq:{Q}:retry
-- KEYS[5]  archived zset        asynq:{Q}:archived
-- KEYS[6]  completed zset       asynq:{Q}:completed
-- KEYS[7]  group registry set   asynq:{Q}:groups
-- ARGV[1]  task-hash prefix     asynq:{Q}:t:
-- ARGV[2]  group-key prefix     asynq:{Q}:g:
-- ARGV[3]  how many IDs to sample per list, set or group (Asynq: 20)
-- ARGV[4]  how many groups to sample (Asynq: 5)
--
-- Returns  the estimate in bytes, truncated to an integer.
local sample = tonumber(ARGV[3])
local function kind(key)
  return redis.call("TYPE", key)["ok"]
end
local function usage(key)
  return redis.call("MEMORY", "USAGE", key) or 0
end
local function sampled(ids)
  local sum = 0
  for _, id in ipairs(ids) do
    sum = sum + usage(ARGV[1] .. id)
  end
  return sum
end
local total = 0
for i = 1, 6 do
  local size, ids = 0, {}
  if i <= 2 then
    if kind(KEYS[i]) == "list" then
      size = redis.call("LLEN", KEYS[i])
      ids = redis.call("LRANGE", KEYS[i], 0, sample - 1)
    end
  elseif kind(KEYS[i]) == "zset" then
    size = redis.call("ZCARD", KEYS[i])
    ids = redis.call("ZRANGE", KEYS[i], 0, sample - 1)
  end
  if size > 0 then
    total = total + sampled(ids) / #ids * size + usage(KEYS[i])
  end
end
local groups = {}
if kind(KEYS[7]) == "set" then
  groups = redis.call("SMEMBERS", KEYS[7])
end
local aggregating, sum, n = 0, 0, 0
for i, group in ipairs(groups) do
  local key = ARGV[2] .. group
  if kind(key) == "zset" then
    aggregating = aggregating + redis.call("ZCARD", key)
    if i <= tonumber(ARGV[4]) then
      local ids = redis.call("ZRANGE", key, 0, sample - 1)
      sum = sum + sampled(ids)
      n = n + #ids
    end
  end
end
if n > 0 then
  total = total + sum / n * aggregating
end
return math.floor(total)
