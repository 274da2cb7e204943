-- Delete one batch of a queue's tasks, for the Inspector's forced DeleteQueue (wire-format
-- §6.3 with the fix of 9.18): IDs are taken from every container of the key schema (wire-format §1.2),
-- each task's hash goes with its unique lock, and emptied groups and aggregation sets are
-- unregistered. The caller repeats until 0, then deletes the queue's fixed keys.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  active list          asynq:{Q}:active
-- KEYS[3]  lease zset           asynq:{Q}:lease
-- KEYS[4]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[5]  retry zset           asynq:{Q}:retry
-- KEYS[6]  archived zset        asynq:{Q}:archived
-- KEYS[7]  completed zset       asynq:{Q}:completed
-- KEYS[8]  group registry set   asynq:{Q}:groups
-- KEYS[9]  aggregation sets     asynq:{Q}:aggregation_sets
-- ARGV[1]  queue prefix         asynq:{Q}:
-- ARGV[2]  the most IDs to handle in one call
--
-- Returns  how many IDs were handled; 0 when every container is empty.
-- A container, group or registry that holds another type than its own is not drained here (the
-- caller deletes the queue's keys afterwards); a task key that is not a hash goes without a lock
-- lookup. So no command can fail half-way.
local P, budget = ARGV[1], tonumber(ARGV[2])
local handled = 0

local function delete_task(id)
  local task = P .. "t:" .. id
  local lock = type_of(task) == "hash" and redis.call("HGET", task, "unique_key")
  if lock and string.sub(lock, 1, #P) == P then
    release_lock(lock, id, {})
  end
  redis.call("DEL", task)
  handled = handled + 1
end

-- Takes up to the remaining budget of IDs from a list or zset; true when it is now empty.
local function drain(key, is_list)
  local n = budget - handled
  if n <= 0 then
    return false
  end
  local t = type_of(key)
  if t ~= "none" and t ~= (is_list and "list" or "zset") then
    return true
  end
  local ids
  if is_list then
    ids = redis.call("LRANGE", key, 0, n - 1)
    redis.call("LTRIM", key, #ids, -1)
  else
    ids = redis.call("ZRANGE", key, 0, n - 1)
    if #ids > 0 then
      redis.call("ZREMRANGEBYRANK", key, 0, #ids - 1)
    end
  end
  for _, id in ipairs(ids) do
    delete_task(id)
  end
  return redis.call("EXISTS", key) == 0
end

drain(KEYS[1], true)
drain(KEYS[2], true)
for i = 3, 7 do
  drain(KEYS[i], false)
end
if type_of(KEYS[8]) == "set" then
  for _, group in ipairs(redis.call("SMEMBERS", KEYS[8])) do
    if drain(P .. "g:" .. group, false) then
      redis.call("SREM", KEYS[8], group)
    end
  end
end
if type_of(KEYS[9]) == "zset" then
  for _, set in ipairs(redis.call("ZRANGE", KEYS[9], 0, -1)) do
    if string.sub(set, 1, #P) ~= P or drain(set, false) then
      redis.call("ZREM", KEYS[9], set)
    end
  end
end
return handled
