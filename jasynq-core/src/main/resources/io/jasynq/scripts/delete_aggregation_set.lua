-- Delete an aggregation set whose aggregated task was enqueued, with its member tasks
-- (wire-format §3.23). Unlike Asynq, each member's unique lock is released while it still
-- names the member (wire-format §9.5), as deleting any other task does.
--
-- KEYS[1]  aggregation set      asynq:{Q}:g:<group>:<setID>
-- KEYS[2]  aggregation sets     asynq:{Q}:aggregation_sets
-- ARGV[1]  task-hash prefix     asynq:{Q}:t:
-- ARGV[2]  queue prefix         asynq:{Q}:   (a lock key outside the queue's slot is left alone)
--
-- Returns  the number of member task hashes deleted. A set already deleted or reclaimed deletes
--          nothing and returns 0. Error "BADKEY ..." (lib_keys.lua) when the set or
--          aggregation_sets holds another type (checked before the first write). A member's task
--          key that is not a hash, and a lock that is not a string, are left as they are.
local bad = check_types(KEYS[1], "zset", KEYS[2], "zset")
if bad then
  return bad
end
local deleted = 0
local skipped = {}
for _, id in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1)) do
  local task = ARGV[1] .. id
  if type_of(task) == "hash" then
    local lock = redis.call("HGET", task, "unique_key")
    if lock and string.sub(lock, 1, #ARGV[2]) == ARGV[2] then
      release_lock(lock, id, skipped)
    end
    deleted = deleted + redis.call("DEL", task)
  end
end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], KEYS[1])
return deleted
