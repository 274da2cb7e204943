-- Give the members of aggregation sets whose deadline has passed back to their groups, so that
-- they are aggregated again (asynq-compat spec 3.23, with the fixes of 9.3 and 9.7: the group is
-- registered again, and an ID with no task hash is dropped instead of put back).
--
-- KEYS[1]  aggregation sets     asynq:{Q}:aggregation_sets
-- KEYS[2]  group registry set   asynq:{Q}:groups
-- ARGV[1]  now, unix seconds: sets scored at or below it are stale
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  group-key prefix     asynq:{Q}:g:
-- ARGV[4]  the most sets to handle in one call
--
-- Returns  the number of stale sets handled; the caller repeats until it is below ARGV[4].
-- Members keep their original group scores. A registered name that is not a set of this queue
-- (no "<group-key>:<setID>" under ARGV[3]), or whose key is not a zset, or whose group key has
-- the wrong type, is unregistered and its keys are left alone; a member whose task key is not a
-- hash is not put back (issue 10). Error "WRONGKEY <key> is a <type>, not a <type>" when
-- aggregation_sets or the group registry has the wrong type; then nothing is written.
local function wrong_type(key, want)
  local t = redis.call("TYPE", key).ok
  if t ~= "none" and t ~= want then
    return key .. " is a " .. t .. ", not a " .. want
  end
  return nil
end

for _, check in ipairs({{KEYS[1], "zset"}, {KEYS[2], "set"}}) do
  local problem = wrong_type(check[1], check[2])
  if problem then
    return redis.error_reply("WRONGKEY " .. problem)
  end
end

local sets = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[4]))
for _, set in ipairs(sets) do
  local group_key = string.match(set, "^(.+):[^:]+$")
  -- Only keys under this queue's group prefix are touched (the same slot on Cluster). A set that
  -- is not a zset, or whose group key has the wrong type, is only unregistered (issue 10).
  local ours = group_key and #group_key > #ARGV[3]
      and string.sub(group_key, 1, #ARGV[3]) == ARGV[3]
  local group_type = ours and redis.call("TYPE", group_key).ok
  if ours and redis.call("TYPE", set).ok == "zset"
      and (group_type == "none" or group_type == "zset") then
    local members = redis.call("ZRANGE", set, 0, -1, "WITHSCORES")
    local back = 0
    for i = 1, #members, 2 do
      if redis.call("TYPE", ARGV[2] .. members[i]).ok == "hash" then
        redis.call("ZADD", group_key, members[i + 1], members[i])
        back = back + 1
      end
    end
    if back > 0 then
      redis.call("SADD", KEYS[2], string.sub(group_key, #ARGV[3] + 1))
    end
    redis.call("DEL", set)
  end
  redis.call("ZREM", KEYS[1], set)
end
return #sets
