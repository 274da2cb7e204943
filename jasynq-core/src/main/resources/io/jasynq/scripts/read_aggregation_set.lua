-- Read an aggregation set: its deadline and each member's stored message, oldest first
-- (wire-format §3.23). Read-only. Messages are returned undecoded, so one bad message cannot
-- fail the rest (wire-format §9.7).
--
-- KEYS[1]  aggregation set      asynq:{Q}:g:<group>:<setID>
-- KEYS[2]  aggregation sets     asynq:{Q}:aggregation_sets
-- ARGV[1]  task-hash prefix     asynq:{Q}:t:
--
-- Returns  {} when the set is not registered in aggregation_sets (deleted or reclaimed);
--          otherwise {deadline, id1, found1, msg1, id2, found2, msg2, ...} in rank order, where
--          deadline is the set's score (unix seconds, as a string), found is 1 when the task hash
--          exists, 0 when the ID is dangling, and the key's type name (e.g. "string") when the task
--          key is not a hash; msg is nil when there is no "msg" field or no hash.
local deadline = redis.call("ZSCORE", KEYS[2], KEYS[1])
if not deadline then
  return {}
end
local reply = {deadline}
for _, id in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1)) do
  local task = ARGV[1] .. id
  reply[#reply + 1] = id
  local t = redis.call("TYPE", task).ok
  if t == "hash" then
    reply[#reply + 1] = 1
    reply[#reply + 1] = redis.call("HGET", task, "msg")
  else
    reply[#reply + 1] = t == "none" and 0 or t
    reply[#reply + 1] = false
  end
end
return reply
