-- Finish a task that succeeded and is kept for its retention (wire-format §3.11).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  completed zset       asynq:{Q}:completed
-- KEYS[5]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[6]  total processed      asynq:{Q}:processed
-- KEYS[7]  unique lock, optional (msg.unique_key; never passed empty)
-- ARGV[1]  task id
-- ARGV[2]  daily counter expiry, unix seconds (now + 90 days)
-- ARGV[3]  retention end, unix seconds (completed_at + retention; the completed score)
-- ARGV[4]  encoded TaskMessage with completed_at set
--
-- Returns  {1, skipped keys...} completed; error "NOT FOUND" when the task is not active; error
--          "INTERNAL ..." when the ID is already in completed; error "BADKEY ..." (lib_keys.lua)
--          when active, lease, the task hash or completed holds another type. Every check runs
--          before the first write. A counter Redis cannot increment (wrong type, not an integer,
--          or at its limit) and a lock that is not a string are left as they are and named after
--          the 1: the task still completes.
-- The "result" field of the hash is kept.
-- Uses refuse_inactive, leave_active and file_task (lib_active.lua), count_outcome
-- (lib_counters.lua), release_lock (lib_keys.lua).
local id = ARGV[1]
local refused = refuse_inactive(id, KEYS[1], KEYS[2], KEYS[3], KEYS[4], "zset")
if refused then
  return refused
end
if redis.call("ZSCORE", KEYS[4], id) then
  return redis.error_reply("INTERNAL task is already in the completed set")
end
leave_active(KEYS[1], KEYS[2], id)
file_task(KEYS[4], ARGV[3], id, KEYS[3], ARGV[4], "completed")
local skipped = {}
count_outcome(1, ARGV[2], skipped, KEYS[5], KEYS[6])
if #KEYS == 7 then
  release_lock(KEYS[7], id, skipped)
end
return {1, unpack(skipped)}
