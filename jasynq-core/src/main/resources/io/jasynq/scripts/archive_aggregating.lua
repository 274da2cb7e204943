-- Archive a member of an aggregation set whose stored message cannot be decoded, so that it no
-- longer blocks its group (the fix of wire-format §9.7; Asynq fails the whole set instead).
-- The archive is then trimmed by trim_archive (lib_trim_archive.lua), as archive.lua does
-- (wire-format §3.14 with the fixes of 9.8).
--
-- KEYS[1]  aggregation set      asynq:{Q}:g:<group>:<setID>
-- KEYS[2]  task hash            asynq:{Q}:t:<id>
-- KEYS[3]  archived zset        asynq:{Q}:archived
-- ARGV[1]  task id
-- ARGV[2]  replacement TaskMessage (a valid one carrying the reason in error_msg)
-- ARGV[3]  now, unix seconds (the archived score)
-- ARGV[4]  age cutoff, unix seconds (now - 90 days): entries scored at or below it are trimmed
-- ARGV[5]  max size: the newest this many entries stay
-- ARGV[6]  task-hash prefix     asynq:{Q}:t:   (hashes of trimmed IDs)
-- ARGV[7]  optional: the original undecodable message, kept in the hash field "malformed_msg"
--
-- Returns  1 archived; 0 when the ID is not in the set or has no task hash (nothing written);
--          2 when its task key holds another type than a hash: the ID only leaves the set, so it
--          no longer blocks its group, and that key is left as it is; error "BADKEY ..."
--          (lib_keys.lua) when the set or archived holds another type. Every check runs before
--          the first write.
-- The task never ran, so no counter moves. Its "group" field and its unique lock are kept (the
-- lock until its TTL, as for every archived task).
-- Uses archive_task and trim_archive (lib_trim_archive.lua).
local id = ARGV[1]
local bad = check_types(KEYS[1], "zset", KEYS[3], "zset")
if bad then
  return bad
end
local task_type = type_of(KEYS[2])
if not redis.call("ZSCORE", KEYS[1], id) or task_type == "none" then
  return 0
end
if task_type ~= "hash" then
  redis.call("ZREM", KEYS[1], id)
  return 2
end
redis.call("ZREM", KEYS[1], id)
archive_task(KEYS[3], ARGV[3], id, KEYS[2], ARGV[2], ARGV[7])
trim_archive(KEYS[3], ARGV[4], ARGV[5], ARGV[6])
return 1
