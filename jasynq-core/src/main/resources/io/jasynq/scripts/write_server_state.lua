-- Write one server's heartbeat record and its running tasks (wire-format §3.19, step 3).
-- The registry ZADDs of steps 1 and 2 are separate commands: they are keys of another slot.
--
-- KEYS[1]  server info          asynq:servers:{<host>:<pid>:<serverID>}
-- KEYS[2]  workers hash         asynq:workers:{<host>:<pid>:<serverID>}   (same hash tag)
-- ARGV[1]  TTL, whole seconds >= 1
-- ARGV[2]  encoded ServerInfo
-- ARGV[3], ARGV[4], ...  pairs of task id and encoded WorkerInfo, one per running task
--
-- Returns  1. With no running task the workers hash does not exist.
-- Both keys belong to this one server (its ID is in their names) and are rewritten whole at every
-- heartbeat, so whatever they hold, whatever its type, is replaced: a damaged record heals at the
-- next beat. No other key is written.
redis.call("SETEX", KEYS[1], ARGV[1], ARGV[2])
redis.call("DEL", KEYS[2])
for i = 3, #ARGV, 2 do
  redis.call("HSET", KEYS[2], ARGV[i], ARGV[i + 1])
end
if #ARGV > 2 then
  redis.call("EXPIRE", KEYS[2], ARGV[1])
end
return 1
