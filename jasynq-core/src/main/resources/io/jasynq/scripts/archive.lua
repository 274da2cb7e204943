-- Move a running task that will not be retried to the archive, then trim the archive
-- (wire-format §3.14, with the fixes of 9.8: exactly max-size newest entries stay, trimmed
-- tasks' hashes are deleted too, and IDs are handled in bounded chunks, never unpacked in bulk).
-- Also archives a task whose stored message does not decode (ARGV[8]).
--
-- KEYS[1]  active list          asynq:{Q}:active
-- KEYS[2]  lease zset           asynq:{Q}:lease
-- KEYS[3]  task hash            asynq:{Q}:t:<id>
-- KEYS[4]  archived zset        asynq:{Q}:archived
-- KEYS[5]  daily processed      asynq:{Q}:processed:<YYYY-MM-DD>
-- KEYS[6]  daily failed         asynq:{Q}:failed:<YYYY-MM-DD>
-- KEYS[7]  total processed      asynq:{Q}:processed
-- KEYS[8]  total failed         asynq:{Q}:failed
-- ARGV[1]  task id
-- ARGV[2]  encoded TaskMessage (error_msg and last_failed_at updated)
-- ARGV[3]  now, unix seconds (the archived score)
-- ARGV[4]  age cutoff, unix seconds (now - 90 days): entries scored at or below it are trimmed
-- ARGV[5]  max size: the newest this many entries stay
-- ARGV[6]  daily counter expiry, unix seconds (now + 90 days)
-- ARGV[7]  task-hash prefix     asynq:{Q}:t:   (hashes of trimmed IDs)
-- ARGV[8]  optional: the original undecodable message, kept in the hash field "malformed_msg"
--
-- Returns  {1, skipped keys...} archived; error "NOT FOUND" when the task is not active; error
--          "BADKEY ..." (lib_keys.lua) when active, lease, the task hash or archived holds another
--          type. Every check runs before the first write. processed and failed always count; a
--          counter Redis cannot increment (wrong type, not an integer, or at its limit) is left as
--          it is and named after the 1. The unique lock is kept until its TTL.
-- Trimming (trim_archive, from lib_trim_archive.lua) runs after the task is archived, so if the
-- task itself is trimmed its hash goes with it; a trimmed ID's task key that is not a hash is
-- left alone.
-- Uses take_off_active (lib_active.lua), archive_task and trim_archive (lib_trim_archive.lua),
-- count_outcome (lib_counters.lua).
local id = ARGV[1]
local refused = take_off_active(id, KEYS[1], KEYS[2], KEYS[3], KEYS[4], "zset")
if refused then
  return refused
end
archive_task(KEYS[4], ARGV[3], id, KEYS[3], ARGV[2], ARGV[8])
trim_archive(KEYS[4], ARGV[4], ARGV[5], ARGV[7])

local skipped = {}
count_outcome(1, ARGV[6], skipped, KEYS[5], KEYS[7], KEYS[6], KEYS[8])
return {1, unpack(skipped)}
