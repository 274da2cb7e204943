-- Move a failed running task to the retry set (wire-format §3.13).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  retry zset           asynq:{Q}:retry
-- KEYS[5]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[6]  daily failed         asynq:{Q}:failed:<YYYY-MM-DD>
-- KEYS[7]  total processed      asynq:{Q}:processed
-- KEYS[8]  total failed         asynq:{Q}:failed
-- ARGV[1]  task id
-- ARGV[2]  encoded TaskMessage (error_msg, last_failed_at and, for a failure, retried updated)
-- ARGV[3]  retry-at, unix seconds (the retry score)
-- ARGV[4]  daily counter expiry, unix seconds (now + 90 days)
-- ARGV[5]  "1" if the error counts as a failure (counters move), "0" if not
--
-- Returns  {1, skipped keys...} scheduled for retry; error "NOT FOUND" when the task is not
--          active; error "BADKEY ..." (lib_keys.lua) when active, lease, the task hash or retry
--          holds another type. Every check runs before the first write. A counter Redis cannot
--          increment (wrong type, not an integer, or at its limit) is left as it is and named
--          after the 1: the task still moves. A "group" field stays: the forwarder moves the task
--          back into its group when it is due.
-- Uses take_off_active and file_task (lib_active.lua), count_outcome (lib_counters.lua).
local id = ARGV[1]
local refused = take_off_active(id, KEYS[1], KEYS[2], KEYS[3], KEYS[4], "zset")
if refused then
  return refused
end
file_task(KEYS[4], ARGV[3], id, KEYS[3], ARGV[2], "retry")
local skipped = {}
if ARGV[5] == "1" then
  count_outcome(1, ARGV[4], skipped, KEYS[5], KEYS[7], KEYS[6], KEYS[8])
end
return {1, unpack(skipped)}
