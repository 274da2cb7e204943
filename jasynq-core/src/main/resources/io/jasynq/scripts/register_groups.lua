-- Register groups that hold tasks but are missing from the group registry, so that aggregators
-- (jasynq's and Go's) see them again (wire-format §9.3). Go Asynq's forwarder and its reclaim
-- of stale aggregation sets put tasks into a group without registering it (wire-format §3.15, 3.23), and
-- its aggregation check unregisters a group whose last tasks it takes (wire-format §3.23): a grouped task
-- scheduled for later and moved in by a Go forwarder after that would wait for good.
--
-- KEYS[1]     group registry set   asynq:{Q}:groups
-- KEYS[2]     aggregation sets     asynq:{Q}:aggregation_sets
-- KEYS[3..n]  candidate zsets      asynq:{Q}:g:<group>, as a SCAN found them
-- ARGV[1]     group-key prefix     asynq:{Q}:g:
-- ARGV[2]     task-hash prefix     asynq:{Q}:t:
-- ARGV[3]     how many of a candidate's oldest members to look at
--
-- A candidate is registered when it still is a non-empty zset under ARGV[1], is not a registered
-- aggregation set (asynq:{Q}:g:<group>:<setID>, a member of KEYS[2]), is not registered yet, and
-- one of its ARGV[3] oldest members has a task hash whose "group" field is the group's name (every
-- writer of a group, Go's included, sets that field: this keeps out an aggregation set that lost
-- its registration and any foreign zset that happens to match the pattern).
--
-- Returns  {group, size, group, size, ...} for the groups registered; error "WRONGTYPE ..." when
--          KEYS[1] or KEYS[2] has the wrong type. Every check runs before the first write.
local function is(key, kind)
  local t = redis.call("TYPE", key)["ok"]
  return t == kind or t == "none"
end
if not is(KEYS[1], "set") then
  return redis.error_reply("WRONGTYPE group registry " .. KEYS[1] .. " is not a set")
end
if not is(KEYS[2], "zset") then
  return redis.error_reply("WRONGTYPE aggregation sets " .. KEYS[2] .. " is not a zset")
end

local function belongs(key, group)
  for _, id in ipairs(redis.call("ZRANGE", key, 0, tonumber(ARGV[3]) - 1)) do
    local task = ARGV[2] .. id
    if redis.call("TYPE", task)["ok"] == "hash" and redis.call("HGET", task, "group") == group then
      return true
    end
  end
  return false
end

local found = {}
for i = 3, #KEYS do
  local key = KEYS[i]
  local group = string.sub(key, #ARGV[1] + 1)
  if string.sub(key, 1, #ARGV[1]) == ARGV[1] and group ~= ""
      and redis.call("TYPE", key)["ok"] == "zset"
      and not redis.call("ZSCORE", KEYS[2], key)
      and redis.call("SISMEMBER", KEYS[1], group) == 0
      and belongs(key, group) then
    found[#found + 1] = group
    found[#found + 1] = redis.call("ZCARD", key)
  end
end
for i = 1, #found, 2 do
  redis.call("SADD", KEYS[1], found[i])
end
return found
