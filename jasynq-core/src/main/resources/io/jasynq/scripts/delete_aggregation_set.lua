-- Delete an aggregation set whose aggregated task was enqueued, with its member tasks
-- (asynq-compat spec 3.23). Unlike Asynq, each member's unique lock is released while it still
-- names the member (spec 9.5), as deleting any other task does.
--
-- KEYS[1]  aggregation set      asynq:{Q}:g:<group>:<setID>
-- KEYS[2]  aggregation sets     asynq:{Q}:aggregation_sets
-- ARGV[1]  task-hash prefix     asynq:{Q}:t:
-- ARGV[2]  queue prefix         asynq:{Q}:   (a lock key outside the queue's slot is left alone)
--
-- Returns  the number of member task hashes deleted; members whose task key is not a hash are only
--          dropped from the set, their keys kept. A set already deleted or reclaimed deletes
--          nothing and returns 0.
local deleted = 0
for _, id in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1)) do
  local task = ARGV[1] .. id
  -- A member whose task key is not a hash is not ours to delete (issue 10): it is only dropped
  -- from the set. A unique lock that is not a string is left alone too.
  if redis.call("TYPE", task).ok == "hash" then
    local lock = redis.call("HGET", task, "unique_key")
    if lock and string.sub(lock, 1, #ARGV[2]) == ARGV[2] and redis.call("TYPE", lock).ok == "string"
        and redis.call("GET", lock) == id then
      redis.call("DEL", lock)
    end
    deleted = deleted + redis.call("DEL", task)
  end
end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], KEYS[1])
return deleted
