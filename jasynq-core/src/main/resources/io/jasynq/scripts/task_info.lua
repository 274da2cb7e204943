-- Read one task for the Inspector's GetTaskInfo (wire-format §6.2). Key types are checked
-- first, so a wrong-typed key never raises WRONGTYPE. When the task hash cannot say the task's
-- state (it is missing, of another type, or its state field is not a state name), the state is
-- looked up in the queue's lists and sets instead, so a bad task still reads as a (bad) task.
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- KEYS[2]  pending list         asynq:{Q}:pending
-- KEYS[3]  active list          asynq:{Q}:active
-- KEYS[4]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[5]  retry zset           asynq:{Q}:retry
-- KEYS[6]  archived zset        asynq:{Q}:archived
-- KEYS[7]  completed zset       asynq:{Q}:completed
-- KEYS[8]  group registry set   asynq:{Q}:groups
-- ARGV[1]  task id
-- ARGV[2]  group-key prefix     asynq:{Q}:g:
--
-- Returns  {key type, msg, state field, result, score, listed state}: the TYPE of KEYS[1]; the
--          hash fields (nil unless it is a hash, or when missing); score is the due time of a
--          scheduled or retry task (nil otherwise); listed state is the state whose list or set
--          holds the ID, looked up only when the hash gives no valid state (nil when not listed).
local function kind(key)
  return redis.call("TYPE", key)["ok"]
end
local states = {
  pending = true, active = true, scheduled = true, retry = true, archived = true,
  completed = true, aggregating = true
}
local t = kind(KEYS[1])
local msg, state, result = false, false, false
if t == "hash" then
  local fields = redis.call("HMGET", KEYS[1], "msg", "state", "result")
  msg, state, result = fields[1], fields[2], fields[3]
end
local listed = false
if not (state and states[state]) then
  local lists = {{KEYS[2], "pending"}, {KEYS[3], "active"}}
  for _, l in ipairs(lists) do
    if not listed and kind(l[1]) == "list" and redis.call("LPOS", l[1], ARGV[1]) then
      listed = l[2]
    end
  end
  local sets = {{KEYS[4], "scheduled"}, {KEYS[5], "retry"}, {KEYS[6], "archived"},
    {KEYS[7], "completed"}}
  for _, s in ipairs(sets) do
    if not listed and kind(s[1]) == "zset" and redis.call("ZSCORE", s[1], ARGV[1]) then
      listed = s[2]
    end
  end
  if not listed and kind(KEYS[8]) == "set" then
    for _, group in ipairs(redis.call("SMEMBERS", KEYS[8])) do
      local key = ARGV[2] .. group
      if not listed and kind(key) == "zset" and redis.call("ZSCORE", key, ARGV[1]) then
        listed = "aggregating"
      end
    end
  end
end
local effective = (state and states[state]) and state or listed
local score = false
if effective == "scheduled" and kind(KEYS[4]) == "zset" then
  score = redis.call("ZSCORE", KEYS[4], ARGV[1])
elseif effective == "retry" and kind(KEYS[5]) == "zset" then
  score = redis.call("ZSCORE", KEYS[5], ARGV[1])
end
return {t, msg, state, result, score, listed}
