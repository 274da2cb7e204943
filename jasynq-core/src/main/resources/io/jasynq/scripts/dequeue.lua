-- Make up to N of the oldest pending tasks of one queue active under a lease (asynq-compat spec
-- 3.9, with the fixes of 9.7: a paused queue yields nothing, and a dangling ID never reaches
-- active). Taking several at once lets one round trip feed several idle workers; each task moves
-- exactly as Asynq's one-task dequeue moves it.
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  paused flag          asynq:{Q}:paused
-- KEYS[3]  active list          asynq:{Q}:active
-- KEYS[4]  lease zset           asynq:{Q}:lease
-- ARGV[1]  lease expiry, unix seconds (the lease score)
-- ARGV[2]  task-hash prefix     asynq:{Q}:t:
-- ARGV[3]  the most pending IDs to look at in one call (bounds the work spent on dangling IDs)
-- ARGV[4]  the most tasks to take
--
-- Returns  {id1, msg1, id2, msg2, ...}: those tasks are now active (a msg is false if its hash has
--          no "msg" field); {} when the queue is paused or empty, or the IDs looked at were all
--          dangling. The ID at the tail of pending is checked before it moves: one with no task
--          hash behind it is dropped from pending and the next one is tried. No stub hash is ever
--          created.
if redis.call("EXISTS", KEYS[2]) == 1 then
  return {}
end
local taken = {}
local wanted = tonumber(ARGV[4])
for _ = 1, tonumber(ARGV[3]) do
  if #taken >= 2 * wanted then
    break
  end
  local id = redis.call("LINDEX", KEYS[1], -1)
  if not id then
    break
  end
  local task = ARGV[2] .. id
  if redis.call("EXISTS", task) == 0 then
    redis.call("RPOP", KEYS[1])
  else
    redis.call("LMOVE", KEYS[1], KEYS[3], "RIGHT", "LEFT")
    redis.call("HSET", task, "state", "active")
    redis.call("HDEL", task, "pending_since")
    redis.call("ZADD", KEYS[4], ARGV[1], id)
    taken[#taken + 1] = id
    taken[#taken + 1] = redis.call("HGET", task, "msg")
  end
end
return taken
