-- Schedule a debounced task (jasynq only; TaskOption.debounce): it runs at process-at unless a
-- later enqueue with the same key replaces it first. The key's lock (asynq:{Q}:unique:key:<key>,
-- a string naming the newest task of the key) finds the task the burst scheduled; the task hash's
-- extra field "debounce_until" (unix s) is when the burst's window ends.
--
-- KEYS[1]  task hash (new)      asynq:{Q}:t:<id>
-- KEYS[2]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[3]  the key's lock       asynq:{Q}:unique:key:<key>
-- ARGV[1]  encoded TaskMessage (unique_key names KEYS[3])
-- ARGV[2]  task id
-- ARGV[3]  process-at, unix seconds (now + delay)
-- ARGV[4]  now, unix seconds
-- ARGV[5]  max wait, whole seconds
-- ARGV[6]  task-hash prefix     asynq:{Q}:t:
-- ARGV[7]  the lock's TTL, whole seconds (covers the delay)
--
-- If the lock names a task of the key that is still scheduled, and process-at falls within its
-- window, that task is replaced: off scheduled and its hash deleted, and the new one takes its
-- window. Otherwise (no lock, the task left scheduled, or the window would be overrun) the new
-- task starts a new window ending max wait from now, and a task still scheduled keeps its time.
-- A lock held by a task that is not debounced (unique(key, ttl)) refuses, as a duplicate. The
-- replaced task's hash is named from ARGV[6] and the lock's value, in the queue's slot: its ID is
-- only known inside the script (as the dequeue's task hashes are).
--
-- Returns  1 scheduled; 0 task id conflict; -1 duplicate; error "BADKEY ..." (lib_keys.lua) when
--          the task key, scheduled or the lock holds another type (a key the lock names that is
--          not a hash is left alone, and the enqueue starts a new burst). Nothing is written
--          unless 1: every check runs before the first write.
local bad = check_types(KEYS[1], "hash", KEYS[2], "zset", KEYS[3], "string")
if bad then
  return bad
end
if redis.call("EXISTS", KEYS[1]) == 1 then
  return 0
end
local at = tonumber(ARGV[3])
local window_end = tonumber(ARGV[4]) + tonumber(ARGV[5])
local replace = nil
local old = redis.call("GET", KEYS[3])
if old and old ~= ARGV[2] then
  local old_task = ARGV[6] .. old
  if type_of(old_task) == "hash" then -- else no task of the key to replace: a new burst
    local until_ = redis.call("HGET", old_task, "debounce_until")
    if not until_ then
      return -1 -- unique(key, ttl) holds the key
    end
    until_ = tonumber(until_)
    if until_ and at <= until_ and redis.call("HGET", old_task, "state") == "scheduled"
        and redis.call("ZSCORE", KEYS[2], old) then
      replace = old_task
      window_end = until_
    end
  end
end
if replace then
  redis.call("ZREM", KEYS[2], old)
  redis.call("DEL", replace)
end
redis.call("SET", KEYS[3], ARGV[2], "EX", ARGV[7])
redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "scheduled", "unique_key", KEYS[3],
    "debounce_until", window_end)
redis.call("ZADD", KEYS[2], at, ARGV[2])
return 1
