-- Give the members of aggregation sets whose deadline has passed back to their groups, so that
-- they are aggregated again (wire-format §3.23, with the fixes of 9.3 and 9.7: the group is
-- registered again, and an ID with no task hash is dropped instead of put back).
--
-- KEYS[1]  aggregation sets     asynq:{Q}:aggregation_sets
-- KEYS[2]  group registry set   asynq:{Q}:groups
-- ARGV[1]  now, unix seconds: sets scored at or below it are stale
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  group-key prefix     asynq:{Q}:g:
-- ARGV[4]  the most sets to handle in one call
-- ARGV[5]  the new deadline, unix seconds, of a set kept for a later call (now + 2 min)
--
-- Returns  the number of stale sets handled; the caller repeats until it is below ARGV[4].
--          Error "BADKEY ..." (lib_keys.lua) when aggregation_sets or the registry holds another
--          type (checked before the first write).
-- Members keep their original group scores. A registered name that is not a set of this queue
-- (no "<group-key>:<setID>" under ARGV[3]), or whose key is not a zset, is unregistered and left
-- alone. A set whose group key holds another type than a zset is kept as it is, registered with
-- the deadline ARGV[5], to be tried again then (it counts as handled). An ID whose task key is
-- missing or not a hash is dropped, as a dangling one.
local bad = check_types(KEYS[1], "zset", KEYS[2], "set")
if bad then
  return bad
end
local sets = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[4]))
for _, set in ipairs(sets) do
  local group_key = string.match(set, "^(.+):[^:]+$")
  local ours = group_key and #group_key > #ARGV[3] and string.sub(group_key, 1, #ARGV[3]) == ARGV[3]
  local set_type = type_of(set)
  local group_type = ours and type_of(group_key)
  if ours and set_type == "zset" and group_type ~= "zset" and group_type ~= "none" then
    -- Its members cannot go back into a group key that is not a zset: try again later.
    redis.call("ZADD", KEYS[1], ARGV[5], set)
  elseif ours and (set_type == "zset" or set_type == "none") then
    local members = redis.call("ZRANGE", set, 0, -1, "WITHSCORES")
    local back = 0
    for i = 1, #members, 2 do
      if type_of(ARGV[2] .. members[i]) == "hash" then
        redis.call("ZADD", group_key, members[i + 1], members[i])
        back = back + 1
      end
    end
    if back > 0 then
      redis.call("SADD", KEYS[2], string.sub(group_key, #ARGV[3] + 1))
    end
    redis.call("DEL", set)
    redis.call("ZREM", KEYS[1], set)
  else
    redis.call("ZREM", KEYS[1], set)
  end
end
return #sets
