-- Read one page of a queue's tasks in one state for the Inspector (wire-format §6.1, 6.2):
-- page 1 holds the oldest tasks. A list (pending, active) is read from its tail, where the oldest
-- are, and handed back oldest first; a zset (scheduled, retry, archived, completed, a group) by
-- ascending score, ties by member bytes. Every listed ID gets a row, whatever its task key holds:
-- the reader marks the bad ones (no hash, a key of another type, no or bad msg) instead of
-- failing the page. Key types are checked first, so a wrong-typed key never raises WRONGTYPE.
--
-- KEYS[1]  the container        asynq:{Q}:<state> or asynq:{Q}:g:<group>
-- KEYS[2]  lease zset           asynq:{Q}:lease   (read for active tasks only)
-- ARGV[1]  "list" or "zset"
-- ARGV[2]  start rank, 0-based
-- ARGV[3]  stop rank, inclusive; -1 with start 0 for every entry
-- ARGV[4]  task-hash prefix     asynq:{Q}:t:
-- ARGV[5]  "1" to read each ID's lease score (active tasks)
--
-- Returns  {container type, lease type, id, msg, result, score, key type, ...}: the TYPE of
--          KEYS[1] and of KEYS[2] ("none" when not read), then five entries per listed ID,
--          oldest first. Nothing is listed when the container is not of ARGV[1]'s type. msg and
--          result are nil unless the task key is a hash; score is the zset score, or for active
--          tasks the lease score (nil without a lease or when the lease key is not a zset).
local function kind(key)
  return redis.call("TYPE", key)["ok"]
end
local start, stop = tonumber(ARGV[2]), tonumber(ARGV[3])
local container = kind(KEYS[1])
local lease = "none"
if ARGV[5] == "1" then
  lease = kind(KEYS[2])
end
local reply = {container, lease}
if container ~= ARGV[1] then
  return reply
end
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
for i, id in ipairs(ids) do
  local task = ARGV[4] .. id
  local t = kind(task)
  local msg, result = false, false
  if t == "hash" then
    local fields = redis.call("HMGET", task, "msg", "result")
    msg, result = fields[1], fields[2]
  end
  local score = scores[i]
  if ARGV[5] == "1" then
    score = false
    if lease == "zset" then
      score = redis.call("ZSCORE", KEYS[2], id)
    end
  end
  local n = #reply
  reply[n + 1] = id
  reply[n + 2] = msg
  reply[n + 3] = result
  reply[n + 4] = score or false
  reply[n + 5] = t
end
return reply
