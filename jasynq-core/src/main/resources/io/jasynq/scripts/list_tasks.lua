-- Read one page of a queue's tasks in one state for the Inspector (asynq-compat spec 6.1, 6.2):
-- page 1 holds the oldest tasks. A list (pending, active) is read from its tail, where the oldest
-- are, and handed back oldest first; a zset (scheduled, retry, archived, completed, a group) by
-- ascending score, ties by member bytes. IDs with no task hash are left out (Asynq shows them as
-- tasks with an empty ID, spec 9.7).
--
-- KEYS[1]  the container        asynq:{Q}:<state> or asynq:{Q}:g:<group>
-- KEYS[2]  lease zset           asynq:{Q}:lease   (read for active tasks only)
-- ARGV[1]  "list" or "zset"
-- ARGV[2]  start rank, 0-based
-- ARGV[3]  stop rank, inclusive; -1 with start 0 for every entry
-- ARGV[4]  task-hash prefix     asynq:{Q}:t:
-- ARGV[5]  "1" to read each ID's lease score (active tasks)
--
-- Returns  {id, msg, result, score, ...} four entries per task, oldest first. score is the zset
--          score, or for active tasks the lease score (nil without a lease); nil otherwise.
local start, stop = tonumber(ARGV[2]), tonumber(ARGV[3])
local ids, scores = {}, {}
if ARGV[1] == "list" then
  local range
  if stop < 0 then
    range = redis.call("LRANGE", KEYS[1], 0, -1)
  else
    range = redis.call("LRANGE", KEYS[1], -(stop + 1), -(start + 1))
  end
  for i = #range, 1, -1 do
    ids[#ids + 1] = range[i]
  end
else
  local range = redis.call("ZRANGE", KEYS[1], start, stop, "WITHSCORES")
  for i = 1, #range, 2 do
    ids[#ids + 1] = range[i]
    scores[#ids] = range[i + 1]
  end
end
local reply = {}
for i, id in ipairs(ids) do
  local task = ARGV[4] .. id
  if redis.call("EXISTS", task) == 1 then
    local fields = redis.call("HMGET", task, "msg", "result")
    local score = scores[i]
    if ARGV[5] == "1" then
      score = redis.call("ZSCORE", KEYS[2], id)
    end
    local n = #reply
    reply[n + 1] = id
    reply[n + 2] = fields[1]
    reply[n + 3] = fields[2]
    reply[n + 4] = score or false
  end
end
return reply
