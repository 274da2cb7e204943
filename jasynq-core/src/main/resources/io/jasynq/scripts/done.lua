-- Finish a task that succeeded and keeps no result: it leaves Redis (wire-format §3.10;
-- also the outcome of a revoked task, 4.6).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[5]  total processed      asynq:{Q}:processed
-- KEYS[6]  unique lock, optional (msg.unique_key; never passed empty: slot of "")
-- ARGV[1]  task id
-- ARGV[2]  daily counter expiry, unix seconds (now + 90 days)
--
-- Returns  {1, skipped keys...} done; error "NOT FOUND" when the task is not active (missing from
--          active or lease, or no hash); error "BADKEY ..." (lib_keys.lua) when active, lease or
--          the task hash holds another type. Every check runs before the first write: a refused
--          call writes nothing. A counter Redis cannot increment (wrong type, not an integer, or
--          at its limit) and a lock that is not a string are left as they are and named after the
--          1: the task still finishes.
-- The lock is released only while it still names this task.
-- Uses finish_done (lib_done.lua).
local refused, skipped = finish_done(ARGV[1], KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
    ARGV[2], KEYS[6])
if refused then
  return refused
end
return {1, unpack(skipped)}
