-- Move a running task that will not be retried to the archive, then trim the archive
-- (asynq-compat spec 3.14, with the fixes of 9.8: exactly max-size newest entries stay, trimmed
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
-- Returns  1 archived; error "NOT FOUND" when the task is not active. Every check runs before the
--          first write. processed and failed always count. The unique lock is kept until its TTL.
-- Trimming (trim_archive, from lib_trim_archive.lua) runs after the task is archived, so if the
-- task itself is trimmed its hash goes with it.
local MAX_INT64 = "9223372036854775807"
local id = ARGV[1]
if not redis.call("LPOS", KEYS[1], id) or not redis.call("ZSCORE", KEYS[2], id)
    or redis.call("EXISTS", KEYS[3]) == 0 then
  return redis.error_reply("NOT FOUND")
end
redis.call("LREM", KEYS[1], 0, id)
redis.call("ZREM", KEYS[2], id)
redis.call("ZADD", KEYS[4], ARGV[3], id)
redis.call("HSET", KEYS[3], "msg", ARGV[2], "state", "archived")
if ARGV[8] then
  redis.call("HSET", KEYS[3], "malformed_msg", ARGV[8])
end

trim_archive(KEYS[4], ARGV[4], ARGV[5], ARGV[7])

for _, daily in ipairs({KEYS[5], KEYS[6]}) do
  if redis.call("INCR", daily) == 1 then
    redis.call("EXPIREAT", daily, ARGV[6])
  end
end
if redis.call("GET", KEYS[7]) == MAX_INT64 then
  redis.call("SET", KEYS[7], 1)
  redis.call("SET", KEYS[8], 1)
else
  redis.call("INCR", KEYS[7])
  redis.call("INCR", KEYS[8])
end
return 1
