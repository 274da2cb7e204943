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
-- (no "<group-key>:<setID>" under ARGV[3]) is unregistered and left alone.
local sets = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[4]))
for _, set in ipairs(sets) do
  local group_key = string.match(set, "^(.+):[^:]+$")
  if group_key and #group_key > #ARGV[3] and string.sub(group_key, 1, #ARGV[3]) == ARGV[3] then
    local members = redis.call("ZRANGE", set, 0, -1, "WITHSCORES")
    local back = 0
    for i = 1, #members, 2 do
      if redis.call("EXISTS", ARGV[2] .. members[i]) == 1 then
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
