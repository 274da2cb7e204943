-- Check that a queue may be deleted (wire-format §6.3 RemoveQueue). The caller then removes
-- the queue from asynq:queues (another slot on Cluster, so not here) and deletes every
-- asynq:{Q}:* key in batches (jasynq's fix of wire-format §9.18).
--
-- KEYS[1]  pending list         asynq:{Q}:pending
-- KEYS[2]  active list          asynq:{Q}:active
-- KEYS[3]  scheduled zset       asynq:{Q}:scheduled
-- KEYS[4]  retry zset           asynq:{Q}:retry
-- KEYS[5]  archived zset        asynq:{Q}:archived
-- ARGV[1]  "1" to force
--
-- Returns  1 the queue may go; -1 not forced and it holds pending, active, scheduled, retry or
--          archived tasks (completed and aggregating ones do not count, as in Asynq); -2 forced
--          and it has active tasks.
if ARGV[1] == "1" then
  if redis.call("LLEN", KEYS[2]) > 0 then
    return -2
  end
  return 1
end
if redis.call("LLEN", KEYS[1]) + redis.call("LLEN", KEYS[2]) + redis.call("ZCARD", KEYS[3])
    + redis.call("ZCARD", KEYS[4]) + redis.call("ZCARD", KEYS[5]) > 0 then
  return -1
end
return 1
