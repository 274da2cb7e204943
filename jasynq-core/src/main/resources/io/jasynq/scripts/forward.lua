-- Move due tasks from the scheduled or retry set to pending, or into their group
-- (asynq-compat spec 3.15, with the fixes of 9.3 and 9.7: a group is registered when a task
-- enters it, and an ID with no task hash is dropped instead of forwarded).
--
-- KEYS[1]  source zset          asynq:{Q}:scheduled or asynq:{Q}:retry
-- KEYS[2]  pending list         asynq:{Q}:pending
-- KEYS[3]  group registry set   asynq:{Q}:groups
-- ARGV[1]  now, unix seconds: members scored at or below it are due; also the group score
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  now, unix nanoseconds (pending_since)
-- ARGV[4]  group-key prefix     asynq:{Q}:g:
-- ARGV[5]  the most IDs to handle in one call
--
-- Returns  {moved, dropped}: IDs forwarded and dangling IDs removed. The caller repeats until
--          both are 0.
--
-- When the push makes the pending list non-empty, the pending key is published on channel
-- "jasynq:pending" so idle jasynq servers wake at once instead of at their next poll. Go Asynq
-- ignores the channel; Go producers do not publish, and servers still poll for their tasks.
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[5]))
local moved, dropped = 0, 0
for _, id in ipairs(ids) do
  local task = ARGV[2] .. id
  redis.call("ZREM", KEYS[1], id)
  if redis.call("EXISTS", task) == 0 then
    dropped = dropped + 1
  else
    local group = redis.call("HGET", task, "group")
    if group and group ~= "" then
      redis.call("ZADD", ARGV[4] .. group, ARGV[1], id)
      redis.call("SADD", KEYS[3], group)
      redis.call("HSET", task, "state", "aggregating")
    else
      if redis.call("LPUSH", KEYS[2], id) == 1 then
        redis.call("PUBLISH", "jasynq:pending", KEYS[2])
      end
      redis.call("HSET", task, "state", "pending", "pending_since", ARGV[3])
    end
    moved = moved + 1
  end
end
return {moved, dropped}
