-- Finish several succeeded tasks of one queue that keep no result, in one call: each leaves Redis
-- exactly as done.lua makes one task leave it (wire-format §3.10). Acknowledging in batches
-- saves a round trip and a script call per task at high throughput.
--
-- KEYS[1]        active list          asynq:{Q}:active
-- KEYS[2]        lease zset           asynq:{Q}:lease
-- KEYS[3]        daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[4]        total processed      asynq:{Q}:processed
-- KEYS[5..4+n]   the n task hashes    asynq:{Q}:t:<id>, in the order of the IDs
-- KEYS[5+n..]    the unique locks of those tasks that have one (never an empty key)
-- ARGV[1]        n
-- ARGV[2]        daily counter expiry, unix seconds (now + 90 days)
-- ARGV[3..2+n]   the task IDs
-- ARGV[3+n..]    for each unique lock in KEYS, the position (1..n) of the task it belongs to
--
-- Returns  a list of n integers: 1 done, 0 not active (missing from active or lease, or no hash:
--          nothing was written for that task), followed by the names of the keys left as they
--          are: a task key that is not a hash (its task gets 0), a counter Redis cannot increment
--          (wrong type, not an integer, or at its limit), a lock that is not a string. The
--          processed counters move by the number done. Error "BADKEY ..." (lib_keys.lua) when
--          active or lease holds another type; every check runs before the first write.
-- A lock is released only while it still names its task.
-- Uses leave_active (lib_active.lua), count_outcome (lib_counters.lua), release_lock
-- (lib_keys.lua).
local n = tonumber(ARGV[1])
local bad = check_types(KEYS[1], "list", KEYS[2], "zset")
if bad then
  return bad
end
local results = {}
local skipped = {}
local done = 0
for i = 1, n do
  local id = ARGV[2 + i]
  local hash = KEYS[4 + i]
  local t = type_of(hash)
  if t ~= "hash" and t ~= "none" then
    skipped[#skipped + 1] = hash
    results[i] = 0
  elseif redis.call("LPOS", KEYS[1], id) and redis.call("ZSCORE", KEYS[2], id)
      and t == "hash" then
    leave_active(KEYS[1], KEYS[2], id)
    redis.call("DEL", hash)
    results[i] = 1
    done = done + 1
  else
    results[i] = 0
  end
end
for k = 5 + n, #KEYS do
  local owner = tonumber(ARGV[3 + n + (k - 5 - n)])
  if results[owner] == 1 then
    release_lock(KEYS[k], ARGV[2 + owner], skipped)
  end
end
if done > 0 then
  count_outcome(done, ARGV[2], skipped, KEYS[3], KEYS[4])
end
for _, key in ipairs(skipped) do
  results[#results + 1] = key
end
return results
