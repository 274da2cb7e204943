-- Replace the message of a scheduled task, for the Inspector's UpdateTaskPayload (wire-format
-- §3.24): the caller read the message, changed it, and writes it back only if nothing changed
-- in between (compare and set).
--
-- KEYS[1]  task hash            asynq:{Q}:t:<id>
-- ARGV[1]  the message the caller read
-- ARGV[2]  the new message
--
-- Returns  1 replaced; 0 no such task; -1 the task is no longer scheduled; -2 its message changed
--          since it was read (nothing written but on 1).
local fields = redis.call("HMGET", KEYS[1], "state", "msg")
if not fields[1] then
  return 0
elseif fields[1] ~= "scheduled" then
  return -1
elseif fields[2] ~= ARGV[1] then
  return -2
end
redis.call("HSET", KEYS[1], "msg", ARGV[2])
return 1
